import { randomBytes } from "node:crypto";

/**
 * Login challenges: each nonce is issued for one address, expires, and is consumed by the first login attempt
 * that names it (successful or not), so a signed message can never be replayed. Bounded in size.
 */
export class NonceStore {
  private readonly nonces = new Map<string, { address: string; expires: number }>();
  constructor(private readonly capacity = 100_000) {}

  issue(address: string, expires: number, now: number): string {
    if (this.nonces.size >= this.capacity) this.prune(now);
    const nonce = randomBytes(16).toString("hex");
    this.nonces.set(nonce, { address: address.toLowerCase(), expires });
    return nonce;
  }

  /** Removes the nonce and says whether it was live and issued to `address`. */
  consume(nonce: string, address: string, now: number): boolean {
    const n = this.nonces.get(nonce);
    if (!n) return false;
    this.nonces.delete(nonce);
    return n.address === address.toLowerCase() && n.expires > now;
  }

  private prune(now: number): void {
    for (const [k, v] of this.nonces) if (v.expires <= now) this.nonces.delete(k);
    // Still full of live nonces: drop the oldest half rather than grow without bound.
    if (this.nonces.size >= this.capacity) [...this.nonces.keys()].slice(0, this.capacity / 2).forEach((k) => this.nonces.delete(k));
  }
}
