import { Wallet, type Provider, type TransactionRequest } from "ethers";

/**
 * A wallet that adds headroom to gas estimates. A node estimates against the pending block, and a ledger write's
 * cost can depend on the block time (exclusivity clamps a past valid-from to it, expiry empties a box), so a limit
 * set to the exact estimate can run out of gas by a few units when the transaction lands a second later.
 */
export class HeadroomWallet extends Wallet {
  constructor(
    privateKey: string,
    provider: Provider | null,
    private readonly headroomPercent = 20n,
  ) {
    super(privateKey, provider);
  }

  override async estimateGas(tx: TransactionRequest): Promise<bigint> {
    const estimate = await super.estimateGas(tx);
    return estimate + (estimate * this.headroomPercent) / 100n;
  }
}
