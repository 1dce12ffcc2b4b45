import { FunctionFragment, dataSlice, getAddress, type ContractTransaction, type Interface, type Signer } from "ethers";
import {
  AdmissionRegistry__factory,
  ConsentRegistry__factory,
  GrantRegistry__factory,
  Market__factory,
  MemberRegistry__factory,
  OperationRegistry__factory,
  ProductRegistry__factory,
  ResourceRegistry__factory,
} from "../../types/ethers-contracts/index.js";
import { defaultScope, h, networkHelpers, ROLES, type LedgerFixture, type RoleName } from "./fixtures.js";
import { Category, Domain, Grade, MemberStatus, OpenClass, ResourceKind, RightType, SubjectKind } from "./enums.js";
import { registerArgs } from "./resources.js";
import { admit, buy, grantUse, listedProduct, price, productSpec, publicProduct, resourceInput, terms } from "./market.js";

/*
 * The access matrix: for every non-view function of the three ledger contracts, which callers may call it.
 *
 * A row names a function by its signature, the roles allowed to call it, and how to build valid arguments for a
 * given caller. Columns are the seven roles plus a never-admitted `outsider` and a `suspended` member (who holds
 * every role but GOVERNANCE). For ownership-like permissions (holder of a resource, grantor of a grant, grantee of
 * a parent grant) the row's `ownership` splits that role's column into an owner cell and a non-owner cell.
 *
 * To add a function: add a row to MEMBER_ROWS / RESOURCE_ROWS / GRANT_ROWS. The matrix test fails, naming the
 * function, while a write function of an ABI has no row.
 */

// ==== COLUMNS ====

export const ROLE_COLUMNS = ["GOVERNANCE", "REGULATOR", "HOLDER", "PROCESSOR", "OPERATOR", "CERTIFIER", "ARBITER"] as const satisfies readonly RoleName[];
export type Column = RoleName | "outsider" | "suspended";
export const COLUMNS: readonly Column[] = [...ROLE_COLUMNS, "outsider", "suspended"];

/** The fixture account that stands for each column (for a role column: the member holding only that role). */
const COLUMN_ACCOUNT = {
  GOVERNANCE: "gov",
  REGULATOR: "regulator",
  HOLDER: "holder",
  PROCESSOR: "processor",
  OPERATOR: "operator",
  CERTIFIER: "certifier",
  ARBITER: "arbiter",
  outsider: "outsider",
  suspended: "suspended",
} as const satisfies Record<Column, keyof LedgerFixture>;

// ==== CONTRACTS ====

export type Target = "members" | "resources" | "grants" | "operations" | "consents" | "products" | "admission" | "market";
export const TARGET_KEYS: readonly Target[] = ["members", "resources", "grants", "operations", "consents", "products", "admission", "market"];
export const TARGETS: Readonly<Record<Target, { name: string; iface: Interface }>> = {
  members: { name: "MemberRegistry", iface: MemberRegistry__factory.createInterface() },
  resources: { name: "ResourceRegistry", iface: ResourceRegistry__factory.createInterface() },
  grants: { name: "GrantRegistry", iface: GrantRegistry__factory.createInterface() },
  operations: { name: "OperationRegistry", iface: OperationRegistry__factory.createInterface() },
  consents: { name: "ConsentRegistry", iface: ConsentRegistry__factory.createInterface() },
  products: { name: "ProductRegistry", iface: ProductRegistry__factory.createInterface() },
  admission: { name: "AdmissionRegistry", iface: AdmissionRegistry__factory.createInterface() },
  market: { name: "Market", iface: Market__factory.createInterface() },
};

/** The signatures ("name(types)") of the non-view, non-pure functions of `iface`, sorted. */
export function writeSignatures(iface: Interface): string[] {
  return iface.fragments
    .filter((f): f is FunctionFragment => FunctionFragment.isFragment(f))
    .filter((f) => f.stateMutability !== "view" && f.stateMutability !== "pure")
    .map((f) => f.format("sighash"))
    .sort();
}

// ==== ACCESS ERRORS ====

/** The "who may call" errors. An allowed caller must never hit one; a refused caller must hit the expected one. */
export const ACCESS_ERRORS = [
  "MemberNotActive",
  "MemberMissingRole",
  "MemberNotSuspender",
  "MemberNotSevereExecutor",
  "MemberGatedNotSevereExecutor",
  "ResourceNotHolder",
  "ResourceSelfObjection",
  "ResourceCallerNotGrantRegistry",
  "OperationNotEvaluator",
  "OperationNotExiter",
  "ConsentNotHolder",
  "ConsentNotWithdrawer",
  "ProductCallerNotGrantRegistry",
  "ProductNotHolder",
  "GrantNotHeld",
  "GrantNotRevoker",
  "GrantNotParentGrantee",
  "GrantCallerNotMarket",
  "GrantGranteeNotEligible",
  "AdmissionNotRevoker",
  "MarketNotProductHolder",
  "MarketNotSeller",
  "MarketSelfTrade",
  "MarketNotProcurementAgent",
  "MarketNotParty",
] as const;
export type AccessError = (typeof ACCESS_ERRORS)[number];

/** What the caller of one cell is and has. */
export interface CallContext {
  fx: LedgerFixture;
  column: Column;
  /** For a split column: whether the caller is the owner; otherwise undefined. */
  owner: boolean | undefined;
  caller: Signer;
  callerAddress: string;
}

/** The access error a refused caller gets: the error's name, the contract whose ABI declares it, and its args. */
export interface Denial {
  in: Target;
  name: AccessError;
  args: (ctx: CallContext) => readonly unknown[];
}

export interface Ownership {
  /** The role column that is split into owner and non-owner. */
  role: RoleName;
  /** owner-only: only the owner (with the role) may call. owner-excluded: anyone allowed but the owner. */
  mode: "owner-only" | "owner-excluded";
  owner: (fx: LedgerFixture) => Signer;
  nonOwner: (fx: LedgerFixture) => Signer;
  /** What the refused one of the two gets. */
  denial: Denial;
}

export interface AccessRow {
  target: Target;
  /** The function, as FunctionFragment.format("sighash"): "name(type,type)". */
  signature: string;
  /** Distinguishes several rows of one function (e.g. root grant and sub-grant). */
  variant?: string;
  /** The role columns that may call (an ownership row's role is listed here too). */
  allowed: readonly RoleName[];
  /** The role named by MemberMissingRole for an active caller without it (default: allowed[0]). */
  gate?: RoleName;
  ownership?: Ownership;
  /** State the call needs, made on the fresh fixture before the call. */
  setup?: (fx: LedgerFixture) => Promise<void>;
  /** Builds the (unsigned) call with valid arguments for the caller. */
  call: (ctx: CallContext) => Promise<ContractTransaction>;
  /** Overrides the default denial of a refused column (return undefined to keep the default). */
  denied?: (column: Column) => Denial | undefined;
  /** An allowed call must succeed, unless this is "no-access-error" (then only access errors fail the cell). */
  allowedOutcome?: "success" | "no-access-error";
}

// ==== DENIALS ====

const memberNotActive = (status: number): Denial => ({
  in: "members",
  name: "MemberNotActive",
  args: (ctx) => [ctx.callerAddress, status],
});
const memberMissingRole = (role: RoleName): Denial => ({
  in: "members",
  name: "MemberMissingRole",
  args: (ctx) => [ctx.callerAddress, ROLES[role]],
});

/** What `column` gets from `row` when refused: the row's override, else the member registry's caller check. */
export function denialOf(row: AccessRow, column: Column): Denial {
  const custom = row.denied?.(column);
  if (custom !== undefined) return custom;
  if (column === "outsider") return memberNotActive(MemberStatus.None);
  if (column === "suspended") return memberNotActive(MemberStatus.Suspended);
  const gate = row.gate ?? row.allowed[0];
  if (gate === undefined) throw new Error(`${row.signature}: a row without allowed roles needs a gate`);
  return memberMissingRole(gate);
}

// ==== CELLS ====

export interface Cell {
  row: AccessRow;
  column: Column;
  owner: boolean | undefined;
  allowed: boolean;
  /** For a refused cell: the expected access error. */
  denial: Denial | undefined;
  title: string;
}

export const rowTitle = (row: AccessRow): string => (row.variant === undefined ? row.signature : `${row.signature} [${row.variant}]`);

/** The cells of one row: one per column, two (owner, non-owner) for the row's ownership column. */
export function cellsOf(row: AccessRow): Cell[] {
  const cells: Cell[] = [];
  const push = (column: Column, owner: boolean | undefined, allowed: boolean, denial: Denial | undefined): void => {
    const who = owner === undefined ? column : `${column} (${owner ? "owner" : "non-owner"})`;
    const title = allowed ? `lets ${who} call` : `reverts with ${denial!.name} when called by ${who}`;
    cells.push({ row, column, owner, allowed, denial, title });
  };
  for (const column of COLUMNS) {
    const roleAllowed = column !== "outsider" && column !== "suspended" && row.allowed.includes(column);
    const o = row.ownership;
    if (o !== undefined && column === o.role) {
      if (!roleAllowed) throw new Error(`${rowTitle(row)}: ownership role ${o.role} must be allowed`);
      const ownerAllowed = o.mode === "owner-only";
      push(column, true, ownerAllowed, ownerAllowed ? undefined : o.denial);
      push(column, false, !ownerAllowed, ownerAllowed ? o.denial : undefined);
    } else {
      push(column, undefined, roleAllowed, roleAllowed ? undefined : denialOf(row, column));
    }
  }
  return cells;
}

/** The signer of a cell. */
export function callerOf(fx: LedgerFixture, cell: Cell): Signer {
  const o = cell.row.ownership;
  if (o !== undefined && cell.owner !== undefined) return cell.owner ? o.owner(fx) : o.nonOwner(fx);
  return fx[COLUMN_ACCOUNT[cell.column]];
}

// ==== REVERT DECODING ====

export interface DecodedRevert {
  name: string;
  args: readonly unknown[];
}

/** The revert data carried by an error thrown by hardhat-ethers, if any. */
export function revertDataOf(e: unknown): string | undefined {
  let cur: unknown = e;
  for (let i = 0; i < 4 && typeof cur === "object" && cur !== null; ++i) {
    if ("data" in cur && typeof cur.data === "string" && cur.data.startsWith("0x")) return cur.data;
    cur = "error" in cur ? cur.error : "info" in cur ? cur.info : undefined;
  }
  return undefined;
}

/** Decodes revert data with the three ledger ABIs. */
export function decodeRevert(data: string): DecodedRevert | undefined {
  for (const { iface } of Object.values(TARGETS)) {
    const parsed = iface.parseError(data);
    if (parsed !== null) return { name: parsed.name, args: [...parsed.args] };
  }
  return undefined;
}

// ==== ROWS: helpers for arguments ====

const NEW_MEMBER = getAddress(dataSlice(h("access-matrix:new-member"), 12));
const RESOURCE = 1n;
const REASON = h("access-matrix:reason");

/** An active holder other than the caller, so a transfer's recipient is always valid. */
const otherHolder = async (ctx: CallContext): Promise<string> => {
  const holder2 = await ctx.fx.holder2.getAddress();
  return ctx.callerAddress === holder2 ? ctx.fx.holder.getAddress() : holder2;
};

/** Grant 1: holder grants processing-use on resource 1 to processor, sub-grantable two levels deep. */
const issueRootGrant = async (fx: LedgerFixture): Promise<void> => {
  const scope = await defaultScope();
  await (
    await fx.grants.connect(fx.holder).grant(RightType.ProcessingUse, SubjectKind.Resource, RESOURCE, await fx.processor.getAddress(), scope, h("terms:root"), 0n)
  ).wait();
};

// ==== ROWS: MemberRegistry ====

export const MEMBER_ROWS: readonly AccessRow[] = [
  {
    target: "members",
    signature: "admit(address,bytes32,bytes32,bytes32[])",
    allowed: ["GOVERNANCE"],
    call: (c) => c.fx.members.admit.populateTransaction(NEW_MEMBER, h("org:new"), h("cred:new"), [ROLES.CERTIFIER]),
  },
  {
    target: "members",
    signature: "grantRole(bytes32,address)",
    allowed: ["GOVERNANCE"],
    call: async (c) => c.fx.members.grantRole.populateTransaction(ROLES.CERTIFIER, await c.fx.holder2.getAddress()),
  },
  {
    target: "members",
    signature: "revokeRole(bytes32,address)",
    allowed: ["GOVERNANCE"],
    call: async (c) => c.fx.members.revokeRole.populateTransaction(ROLES.HOLDER, await c.fx.holder2.getAddress()),
  },
  {
    target: "members",
    signature: "renounceRole(bytes32,address)",
    // Any active member may renounce its own roles.
    allowed: ROLE_COLUMNS,
    // A second governor, so that gov may renounce GOVERNANCE without leaving the ledger ungoverned.
    setup: async (fx) => {
      await (await fx.members.grantRole(ROLES.GOVERNANCE, await fx.holder2.getAddress())).wait();
    },
    call: (c) => {
      const role = c.column === "outsider" ? ROLES.HOLDER : c.column === "suspended" ? ROLES.REGULATOR : ROLES[c.column];
      return c.fx.members.renounceRole.populateTransaction(role, c.callerAddress);
    },
  },
  {
    target: "members",
    signature: "suspend(address,bytes32)",
    allowed: ["GOVERNANCE", "REGULATOR"],
    denied: (column) =>
      column === "outsider" || column === "suspended"
        ? undefined
        : { in: "members", name: "MemberNotSuspender", args: (ctx) => [ctx.callerAddress] },
    call: async (c) => c.fx.members.suspend.populateTransaction(await c.fx.processor3.getAddress(), REASON),
  },
  {
    target: "members",
    signature: "reinstate(address,bytes32)",
    allowed: ["GOVERNANCE", "REGULATOR"],
    denied: (column) =>
      column === "outsider" || column === "suspended"
        ? undefined
        : { in: "members", name: "MemberNotSuspender", args: (ctx) => [ctx.callerAddress] },
    call: async (c) => c.fx.members.reinstate.populateTransaction(await c.fx.suspended.getAddress(), REASON),
  },
  {
    target: "members",
    signature: "setSevereExecutor(address)",
    allowed: ["GOVERNANCE"],
    call: (c) => c.fx.members.setSevereExecutor.populateTransaction(NEW_MEMBER),
  },
  {
    target: "members",
    signature: "expel(address,bytes32)",
    allowed: ["GOVERNANCE"],
    call: async (c) => c.fx.members.expel.populateTransaction(await c.fx.processor3.getAddress(), REASON),
  },
];

// ==== ROWS: ResourceRegistry ====

/** Holder of resource 1 (`holder`) versus another HOLDER (`holder2`), refused with ResourceNotHolder. */
const resourceHolder: Ownership = {
  role: "HOLDER",
  mode: "owner-only",
  owner: (fx) => fx.holder,
  nonOwner: (fx) => fx.holder2,
  denial: { in: "resources", name: "ResourceNotHolder", args: (ctx) => [RESOURCE, ctx.callerAddress] },
};

export const RESOURCE_ROWS: readonly AccessRow[] = [
  {
    // Only the severe-action executor; the regulator's account stands in for it here (wired in setup).
    target: "resources",
    signature: "transferByRuling(uint64,address,bytes32)",
    allowed: ["REGULATOR"],
    setup: async (fx) => {
      await (await fx.members.setSevereExecutor(await fx.regulator.getAddress())).wait();
    },
    denied: () => ({ in: "resources", name: "MemberGatedNotSevereExecutor", args: (ctx) => [ctx.callerAddress] }),
    call: async (c) => c.fx.resources.transferByRuling.populateTransaction(RESOURCE, await otherHolder(c), REASON),
  },
  {
    target: "resources",
    signature: "register(uint8,uint8,uint8,uint8,uint8,bytes32,string)",
    allowed: ["HOLDER"],
    call: (c) => c.fx.resources.register.populateTransaction(...registerArgs()),
  },
  {
    target: "resources",
    signature: "transfer(uint64,address,bytes32)",
    allowed: ["HOLDER"],
    ownership: resourceHolder,
    call: async (c) => c.fx.resources.transfer.populateTransaction(RESOURCE, await otherHolder(c), h("terms:transfer")),
  },
  {
    target: "resources",
    signature: "change(uint64,bytes32,string)",
    allowed: ["HOLDER"],
    ownership: resourceHolder,
    call: (c) => c.fx.resources.change.populateTransaction(RESOURCE, h("catalogue:v2"), "ipfs://catalogue/1/v2"),
  },
  {
    target: "resources",
    signature: "cancel(uint64,bytes32)",
    allowed: ["HOLDER"],
    ownership: resourceHolder,
    call: (c) => c.fx.resources.cancel.populateTransaction(RESOURCE, REASON),
  },
  {
    target: "resources",
    signature: "object(uint64,bytes32)",
    // Any active member but the resource's holder.
    allowed: ROLE_COLUMNS,
    ownership: {
      role: "HOLDER",
      mode: "owner-excluded",
      owner: (fx) => fx.holder,
      nonOwner: (fx) => fx.holder2,
      denial: { in: "resources", name: "ResourceSelfObjection", args: () => [RESOURCE] },
    },
    call: (c) => c.fx.resources.object.populateTransaction(RESOURCE, h("evidence")),
  },
  {
    target: "resources",
    signature: "resolveObjection(uint64,uint32,bool,bytes32)",
    allowed: ["REGULATOR"],
    setup: async (fx) => {
      await (await fx.resources.connect(fx.processor).object(RESOURCE, h("evidence"))).wait();
    },
    call: (c) => c.fx.resources.resolveObjection.populateTransaction(RESOURCE, 1n, false, REASON),
  },
  {
    target: "resources",
    signature: "freeze(uint64,bytes32)",
    allowed: ["REGULATOR"],
    call: (c) => c.fx.resources.freeze.populateTransaction(RESOURCE, REASON),
  },
  {
    target: "resources",
    signature: "unfreeze(uint64,bytes32)",
    allowed: ["REGULATOR"],
    setup: async (fx) => {
      await (await fx.resources.connect(fx.regulator).freeze(RESOURCE, REASON)).wait();
    },
    call: (c) => c.fx.resources.unfreeze.populateTransaction(RESOURCE, REASON),
  },
  {
    target: "resources",
    signature: "setObjectionWindow(uint40)",
    allowed: ["GOVERNANCE"],
    call: (c) => c.fx.resources.setObjectionWindow.populateTransaction(3 * 24 * 3600),
  },
  {
    target: "resources",
    signature: "setGrantRegistry(address)",
    allowed: ["GOVERNANCE"],
    // The fixture has wired it already, so governance passes the gate and meets ResourceGrantRegistryAlreadySet.
    allowedOutcome: "no-access-error",
    call: async (c) => c.fx.resources.setGrantRegistry.populateTransaction(await c.fx.grants.getAddress()),
  },
  {
    target: "resources",
    signature: "admitRootGrant(uint64,address,uint8,(uint32,uint32,uint40,uint40,bool,bool,uint8,uint64))",
    // Only the grant registry contract calls it: no member, whatever its roles.
    allowed: [],
    denied: () => ({ in: "resources", name: "ResourceCallerNotGrantRegistry", args: (ctx) => [ctx.callerAddress] }),
    call: async (c) =>
      c.fx.resources.admitRootGrant.populateTransaction(RESOURCE, await c.fx.holder.getAddress(), RightType.ProcessingUse, await defaultScope()),
  },
  {
    target: "resources",
    signature: "recordRootGrant(uint64,address,bytes32)",
    // Only the grant registry contract calls it: no member, whatever its roles.
    allowed: [],
    denied: () => ({ in: "resources", name: "ResourceCallerNotGrantRegistry", args: (ctx) => [ctx.callerAddress] }),
    call: async (c) => c.fx.resources.recordRootGrant.populateTransaction(RESOURCE, await c.fx.holder.getAddress(), h("payload")),
  },
];

// ==== ROWS: GrantRegistry ====
//
// A root grant's holder check is made by the subject's registry (ResourceRegistry.admitRootGrant), so a holder
// who does not hold the resource meets ResourceNotHolder, declared there.

const ROOT_GRANT_NOT_HOLDER: Denial = {
  in: "resources",
  name: "ResourceNotHolder",
  args: (ctx) => [RESOURCE, ctx.callerAddress],
};

const GRANT_SIGNATURE = "grant(uint8,uint8,uint64,address,(uint32,uint32,uint40,uint40,bool,bool,uint8,uint64),bytes32,uint64)";

export const GRANT_ROWS: readonly AccessRow[] = [
  {
    target: "grants",
    signature: GRANT_SIGNATURE,
    variant: "root grant",
    allowed: ["HOLDER"],
    ownership: { role: "HOLDER", mode: "owner-only", owner: (fx) => fx.holder, nonOwner: (fx) => fx.holder2, denial: ROOT_GRANT_NOT_HOLDER },
    call: async (c) =>
      c.fx.grants.grant.populateTransaction(
        RightType.ProcessingUse,
        SubjectKind.Resource,
        RESOURCE,
        await c.fx.processor.getAddress(),
        await defaultScope(),
        h("terms:root"),
        0n,
      ),
  },
  {
    target: "grants",
    signature: GRANT_SIGNATURE,
    variant: "sub-grant",
    allowed: ["PROCESSOR"],
    ownership: {
      role: "PROCESSOR",
      mode: "owner-only",
      owner: (fx) => fx.processor,
      nonOwner: (fx) => fx.processor2,
      denial: { in: "grants", name: "GrantNotParentGrantee", args: (ctx) => [1n, ctx.callerAddress] },
    },
    setup: issueRootGrant,
    call: async (c) => {
      const parent = await c.fx.grants.getGrant(1n);
      const scope = await defaultScope({ validFrom: parent.validFrom, validUntil: parent.validUntil, depth: 1 });
      return c.fx.grants.grant.populateTransaction(
        RightType.ProcessingUse,
        SubjectKind.Resource,
        RESOURCE,
        await c.fx.processor3.getAddress(),
        scope,
        h("terms:sub"),
        1n,
      );
    },
  },
  {
    target: "grants",
    signature: "revoke(uint64,bytes32)",
    // The grantor (here the holder who issued grant 1), or any regulator.
    allowed: ["HOLDER", "REGULATOR"],
    ownership: {
      role: "HOLDER",
      mode: "owner-only",
      owner: (fx) => fx.holder,
      nonOwner: (fx) => fx.holder2,
      denial: { in: "grants", name: "GrantNotRevoker", args: (ctx) => [1n, ctx.callerAddress] },
    },
    // An active member who is neither the grantor nor a regulator: GrantNotRevoker. Inactive callers (suspended,
    // outsider) keep the default denial, MemberNotActive, as for every write.
    denied: (column) =>
      column === "outsider" || column === "suspended" ? undefined : { in: "grants", name: "GrantNotRevoker", args: (ctx) => [1n, ctx.callerAddress] },
    setup: issueRootGrant,
    call: (c) => c.fx.grants.revoke.populateTransaction(1n, REASON),
  },
  {
    target: "grants",
    signature: "freeze(uint64,bytes32)",
    allowed: ["REGULATOR"],
    setup: issueRootGrant,
    call: (c) => c.fx.grants.freeze.populateTransaction(1n, REASON),
  },
  {
    target: "grants",
    signature: "unfreeze(uint64,bytes32)",
    allowed: ["REGULATOR"],
    setup: async (fx) => {
      await issueRootGrant(fx);
      await (await fx.grants.connect(fx.regulator).freeze(1n, REASON)).wait();
    },
    call: (c) => c.fx.grants.unfreeze.populateTransaction(1n, REASON),
  },
  {
    target: "grants",
    signature: "setSubjectRegistry(uint8,address)",
    allowed: ["GOVERNANCE"],
    call: async (c) => c.fx.grants.setSubjectRegistry.populateTransaction(SubjectKind.Product, await c.fx.resources.getAddress()),
  },
];

// ==== ROWS: OperationRegistry, ConsentRegistry ====

const NOW_PLUS_YEAR = async (fx: LedgerFixture) => {
  const block = await fx.members.runner!.provider!.getBlock("latest");
  return BigInt(block!.timestamp) + 365n * 86400n;
};
/** Resource 2: a public data set (for operation) or a personal one (for consent), held by `holder`. */
const registerResource2 = (category: number) => async (fx: LedgerFixture) => {
  const open = category === Category.Public ? OpenClass.Conditional : OpenClass.NotApplicable;
  await (await fx.resources.connect(fx.holder).register(ResourceKind.DataSet, category, Grade.General, Domain.Health, open, h("catalogue:2"), "ipfs://2")).wait();
};
const authorize = async (fx: LedgerFixture) => {
  await registerResource2(Category.Public)(fx);
  await (await fx.operations.authorize(await fx.operator.getAddress(), [2n], h("scenario"), h("conditions"), 0, await NOW_PLUS_YEAR(fx))).wait();
};
const recordConsent = async (fx: LedgerFixture) => {
  await registerResource2(Category.Personal)(fx);
  await (await fx.consents.connect(fx.holder).record(2n, h("merkle"), 0b11, 1000, await NOW_PLUS_YEAR(fx))).wait();
};
const evaluators: readonly RoleName[] = ["GOVERNANCE", "REGULATOR", "CERTIFIER"];

export const CONDITION_ROWS: readonly AccessRow[] = [
  {
    target: "operations",
    signature: "authorize(address,uint64[],bytes32,bytes32,uint40,uint40)",
    allowed: ["GOVERNANCE"],
    setup: registerResource2(Category.Public),
    call: async (c) => c.fx.operations.authorize.populateTransaction(await c.fx.operator.getAddress(), [2n], h("scenario"), h("conditions"), 0, await NOW_PLUS_YEAR(c.fx)),
  },
  {
    target: "operations",
    signature: "evaluate(uint64,uint32,uint16,bytes32)",
    allowed: evaluators,
    denied: (column) => (column === "outsider" || column === "suspended" ? undefined : { in: "operations", name: "OperationNotEvaluator", args: (ctx) => [ctx.callerAddress] }),
    setup: authorize,
    call: (c) => c.fx.operations.evaluate.populateTransaction(1n, 202611, 87, h("report")),
  },
  {
    target: "operations",
    signature: "exit(uint64,bytes32)",
    // Its operator leaves of its own accord; governance can force it out.
    allowed: ["OPERATOR", "GOVERNANCE"],
    denied: (column) => (column === "outsider" || column === "suspended" ? undefined : { in: "operations", name: "OperationNotExiter", args: (ctx) => [1n, ctx.callerAddress] }),
    setup: authorize,
    call: (c) => c.fx.operations.exit.populateTransaction(1n, h("exit")),
  },
  {
    target: "consents",
    signature: "record(uint64,bytes32,uint32,uint32,uint40)",
    allowed: ["HOLDER"],
    ownership: { role: "HOLDER", mode: "owner-only", owner: (fx) => fx.holder, nonOwner: (fx) => fx.holder2, denial: { in: "consents", name: "ConsentNotHolder", args: (ctx) => [2n, ctx.callerAddress] } },
    setup: registerResource2(Category.Personal),
    call: async (c) => c.fx.consents.record.populateTransaction(2n, h("merkle"), 0b11, 1000, await NOW_PLUS_YEAR(c.fx)),
  },
  {
    target: "consents",
    signature: "withdraw(uint64,uint32,bytes32)",
    // The resource's holder, or a regulator acting on a data subject's complaint.
    allowed: ["HOLDER", "REGULATOR"],
    ownership: { role: "HOLDER", mode: "owner-only", owner: (fx) => fx.holder, nonOwner: (fx) => fx.holder2, denial: { in: "consents", name: "ConsentNotWithdrawer", args: (ctx) => [1n, ctx.callerAddress] } },
    denied: (column) => (column === "outsider" || column === "suspended" ? undefined : { in: "consents", name: "ConsentNotWithdrawer", args: (ctx) => [1n, ctx.callerAddress] }),
    setup: recordConsent,
    call: (c) => c.fx.consents.withdraw.populateTransaction(1n, 0b01, h("complaint")),
  },
  {
    target: "grants",
    signature: "setConditionRegistries(address,address)",
    allowed: ["GOVERNANCE"],
    // The fixture has wired them already, so governance passes the gate and meets GrantConditionsAlreadySet.
    allowedOutcome: "no-access-error",
    call: async (c) => c.fx.grants.setConditionRegistries.populateTransaction(await c.fx.operations.getAddress(), await c.fx.consents.getAddress()),
  },
];

// ==== ROWS: ProductRegistry ====

const PRODUCT_SPEC = { kind: 3, delivery: 1, domain: 1, environmentHash: h("env"), metadataHash: h("meta"), uri: "ipfs://product", operatorBps: 2000, publicBps: 0 };
/** Grant 1: holder -> processor over resource 1; product 1: processor's, over that grant. */
const registerProduct = async (fx: LedgerFixture) => {
  await issueRootGrant(fx);
  await (await fx.products.connect(fx.processor).register(PRODUCT_SPEC, [{ kind: SubjectKind.Resource, id: RESOURCE, grantId: 1n, shareBps: 8000 }])).wait();
};

export const PRODUCT_ROWS: readonly AccessRow[] = [
  {
    target: "products",
    signature: "register((uint8,uint8,uint8,bytes32,bytes32,string,uint16,uint16),(uint8,uint64,uint64,uint16)[])",
    // A processor, over inputs it holds processing-use grants on (grant 1 is processor's).
    allowed: ["PROCESSOR"],
    ownership: {
      role: "PROCESSOR",
      mode: "owner-only",
      owner: (fx) => fx.processor,
      nonOwner: (fx) => fx.processor2,
      denial: { in: "grants", name: "GrantNotHeld", args: (ctx) => [1n, ctx.callerAddress] },
    },
    setup: issueRootGrant,
    call: async (c) => c.fx.products.register.populateTransaction(PRODUCT_SPEC, [{ kind: SubjectKind.Resource, id: RESOURCE, grantId: 1n, shareBps: 8000 }]),
  },
  { target: "products", signature: "freeze(uint64,bytes32)", allowed: ["REGULATOR"], setup: registerProduct, call: (c) => c.fx.products.freeze.populateTransaction(1n, REASON) },
  {
    target: "products",
    signature: "unfreeze(uint64,bytes32)",
    allowed: ["REGULATOR"],
    setup: async (fx) => {
      await registerProduct(fx);
      await (await fx.products.connect(fx.regulator).freeze(1n, REASON)).wait();
    },
    call: (c) => c.fx.products.unfreeze.populateTransaction(1n, REASON),
  },
  {
    target: "products",
    signature: "cancel(uint64,bytes32)",
    allowed: ["PROCESSOR"],
    ownership: { role: "PROCESSOR", mode: "owner-only", owner: (fx) => fx.processor, nonOwner: (fx) => fx.processor2, denial: { in: "products", name: "ProductNotHolder", args: (ctx) => [1n, ctx.callerAddress] } },
    setup: registerProduct,
    call: (c) => c.fx.products.cancel.populateTransaction(1n, REASON),
  },
  {
    target: "products",
    signature: "admitRootGrant(uint64,address,uint8,(uint32,uint32,uint40,uint40,bool,bool,uint8,uint64))",
    allowed: [],
    denied: () => ({ in: "products", name: "ProductCallerNotGrantRegistry", args: (ctx) => [ctx.callerAddress] }),
    call: async (c) => c.fx.products.admitRootGrant.populateTransaction(1n, await c.fx.processor.getAddress(), RightType.ProductOperation, await defaultScope()),
  },
  {
    target: "products",
    signature: "recordRootGrant(uint64,address,bytes32)",
    allowed: [],
    denied: () => ({ in: "products", name: "ProductCallerNotGrantRegistry", args: (ctx) => [ctx.callerAddress] }),
    call: async (c) => c.fx.products.recordRootGrant.populateTransaction(1n, await c.fx.processor.getAddress(), h("payload")),
  },
];

// ==== ROWS: GrantRegistry's market path ====

export const GRANT_MARKET_ROWS: readonly AccessRow[] = [
  {
    target: "grants",
    signature: "grantOnSale(uint64,address,address,(uint32,uint32,uint40,uint40,bool,bool,uint8,uint64),bytes32)",
    // Only the market contract; no member may call it, whatever its roles.
    allowed: [],
    denied: () => ({ in: "grants", name: "GrantCallerNotMarket", args: (ctx) => [ctx.callerAddress] }),
    setup: async (fx) => {
      await listedProduct(fx);
    },
    call: async (c) =>
      c.fx.grants.grantOnSale.populateTransaction(1n, await c.fx.processor.getAddress(), await c.fx.processor2.getAddress(), await defaultScope({ maySubGrant: false, depth: 0 }), h("terms")),
  },
  {
    target: "grants",
    signature: "setMarket(address)",
    allowed: ["GOVERNANCE"],
    // The fixture has wired the market already: governance gets GrantMarketAlreadySet, never an access error.
    allowedOutcome: "no-access-error",
    call: (c) => c.fx.grants.setMarket.populateTransaction(NEW_MEMBER),
  },
];

// ==== ROWS: AdmissionRegistry ====

/** Product 1: processor's, over resource 1 with grant 1. */
const plainProduct = async (fx: LedgerFixture): Promise<void> => {
  const g = await grantUse(fx, fx.holder, fx.processor, SubjectKind.Resource, RESOURCE);
  await (await fx.products.connect(fx.processor).register(productSpec(), [resourceInput(RESOURCE, g, 7000)])).wait();
};
const until = async (): Promise<bigint> => BigInt(await networkHelpers.time.latest()) + 10n * 365n * 24n * 3600n;
/** Active members without the right role meet the contract's own check, not the member registry's. */
const activeOnly = (denial: Denial) => (column: Column): Denial | undefined => (column === "outsider" || column === "suspended" ? undefined : denial);

export const ADMISSION_ROWS: readonly AccessRow[] = [
  { target: "admission", signature: "setNegativeEntry(uint8,uint8,uint8,uint32,bytes32)", allowed: ["GOVERNANCE"], call: (c) => c.fx.admission.setNegativeEntry.populateTransaction(Domain.Health, Category.Personal, Grade.Important, 1, REASON) },
  { target: "admission", signature: "setPositiveEntry(uint32,bool,bytes32)", allowed: ["GOVERNANCE"], call: (c) => c.fx.admission.setPositiveEntry.populateTransaction(12, true, REASON) },
  { target: "admission", signature: "setRequiredLevel(uint8,uint8)", allowed: ["GOVERNANCE"], call: (c) => c.fx.admission.setRequiredLevel.populateTransaction(Grade.Important, 2) },
  {
    target: "admission",
    signature: "setGovernmentDepartment(address,bool)",
    allowed: ["GOVERNANCE"],
    call: async (c) => c.fx.admission.setGovernmentDepartment.populateTransaction(await c.fx.processor3.getAddress(), true),
  },
  {
    target: "admission",
    signature: "certifyProduct(uint64,uint8,uint40,bytes32)",
    allowed: ["CERTIFIER"],
    setup: plainProduct,
    call: async (c) => c.fx.admission.certifyProduct.populateTransaction(1n, 1, await until(), REASON),
  },
  {
    target: "admission",
    signature: "qualifyMember(address,uint8,uint40,bytes32)",
    allowed: ["CERTIFIER"],
    call: async (c) => c.fx.admission.qualifyMember.populateTransaction(await c.fx.processor.getAddress(), 1, await until(), REASON),
  },
  {
    target: "admission",
    signature: "assessProduct(uint64,uint8,uint128,bytes32)",
    allowed: ["CERTIFIER"],
    setup: plainProduct,
    call: (c) => c.fx.admission.assessProduct.populateTransaction(1n, 2, 87, REASON),
  },
  {
    target: "admission",
    signature: "revokeRating(uint64,bytes32)",
    // The certifier that recorded the rating, or a regulator.
    allowed: ["CERTIFIER", "REGULATOR"],
    ownership: {
      role: "CERTIFIER",
      mode: "owner-only",
      owner: (fx) => fx.certifier,
      nonOwner: (fx) => fx.processor3,
      denial: { in: "admission", name: "AdmissionNotRevoker", args: (ctx) => [1n, ctx.callerAddress] },
    },
    setup: async (fx) => {
      await plainProduct(fx);
      await (await fx.admission.connect(fx.certifier).certifyProduct(1n, 1, await until(), REASON)).wait();
      await (await fx.members.grantRole(ROLES.CERTIFIER, await fx.processor3.getAddress())).wait();
    },
    denied: activeOnly({ in: "admission", name: "AdmissionNotRevoker", args: (ctx) => [1n, ctx.callerAddress] }),
    call: (c) => c.fx.admission.revokeRating.populateTransaction(1n, REASON),
  },
];

// ==== ROWS: Market ====

const TERMS = "(uint32,uint32,uint32,uint64,uint32,bytes32)";
const PRICE = "(uint128,bytes3,uint8,bytes12)";
const notSeller = activeOnly({ in: "market", name: "MarketNotSeller", args: (ctx) => [1n, ctx.callerAddress] });
const notParty = activeOnly({ in: "market", name: "MarketNotParty", args: (ctx) => [1n, ctx.callerAddress] });
const listed = async (fx: LedgerFixture): Promise<void> => {
  await listedProduct(fx);
};
/** Listing 1 over product 1 (public input, public share), its price pending. */
const pendingPrice = async (fx: LedgerFixture): Promise<void> => {
  await publicProduct(fx);
  await admit(fx, fx.processor, 1n);
  await (await fx.market.connect(fx.processor).list(1n, 0n, terms(), price())).wait();
};
/** Trade 1: processor2 buys listing 1. */
const traded = async (fx: LedgerFixture): Promise<void> => {
  await listedProduct(fx);
  await buy(fx, fx.processor2, 1n);
};

export const MARKET_ROWS: readonly AccessRow[] = [
  { target: "market", signature: "setPublicBeneficiary(address)", allowed: ["GOVERNANCE"], call: (c) => c.fx.market.setPublicBeneficiary.populateTransaction(NEW_MEMBER) },
  { target: "market", signature: "setProcurementAgent(address)", allowed: ["GOVERNANCE"], call: (c) => c.fx.market.setProcurementAgent.populateTransaction(NEW_MEMBER) },
  {
    target: "market",
    signature: `list(uint64,uint64,${TERMS},${PRICE})`,
    // The product's holder (a qualified processor), listing without an operation grant.
    allowed: ["PROCESSOR"],
    ownership: { role: "PROCESSOR", mode: "owner-only", owner: (fx) => fx.processor, nonOwner: (fx) => fx.processor2, denial: { in: "market", name: "MarketNotProductHolder", args: (ctx) => [1n, ctx.callerAddress] } },
    setup: async (fx) => {
      await plainProduct(fx);
      await admit(fx, fx.processor, 1n);
    },
    call: (c) => c.fx.market.list.populateTransaction(1n, 0n, terms(), price()),
  },
  {
    target: "market",
    signature: `filePrice(uint64,${PRICE})`,
    allowed: ["PROCESSOR"],
    ownership: { role: "PROCESSOR", mode: "owner-only", owner: (fx) => fx.processor, nonOwner: (fx) => fx.processor2, denial: { in: "market", name: "MarketNotSeller", args: (ctx) => [1n, ctx.callerAddress] } },
    setup: listed,
    denied: notSeller,
    call: (c) => c.fx.market.filePrice.populateTransaction(1n, price(2_000n)),
  },
  { target: "market", signature: "approvePrice(uint64,bytes32)", allowed: ["REGULATOR"], setup: pendingPrice, call: (c) => c.fx.market.approvePrice.populateTransaction(1n, REASON) },
  { target: "market", signature: "rejectPrice(uint64,bytes32)", allowed: ["REGULATOR"], setup: pendingPrice, call: (c) => c.fx.market.rejectPrice.populateTransaction(1n, REASON) },
  {
    target: "market",
    signature: "delist(uint64,bytes32)",
    // The seller, or a regulator.
    allowed: ["PROCESSOR", "REGULATOR"],
    ownership: { role: "PROCESSOR", mode: "owner-only", owner: (fx) => fx.processor, nonOwner: (fx) => fx.processor2, denial: { in: "market", name: "MarketNotSeller", args: (ctx) => [1n, ctx.callerAddress] } },
    setup: listed,
    denied: notSeller,
    call: (c) => c.fx.market.delist.populateTransaction(1n, REASON),
  },
  {
    target: "market",
    signature: "buy(uint64,uint64,bytes32)",
    // Any active processor but the seller: the licence is a processing-use grant, which only processors receive.
    allowed: ["PROCESSOR"],
    ownership: { role: "PROCESSOR", mode: "owner-excluded", owner: (fx) => fx.processor, nonOwner: (fx) => fx.processor2, denial: { in: "market", name: "MarketSelfTrade", args: (ctx) => [ctx.callerAddress] } },
    setup: listed,
    denied: () => ({ in: "grants", name: "GrantGranteeNotEligible", args: (ctx) => [ctx.callerAddress, ROLES.PROCESSOR] }),
    call: (c) => c.fx.market.buy.populateTransaction(1n, 1n, REASON),
  },
  {
    target: "market",
    signature: "procure(uint64,uint64,bytes32)",
    // Governance, or the procurement agent it names (none in the fixture).
    allowed: ["GOVERNANCE"],
    setup: listed,
    denied: activeOnly({ in: "market", name: "MarketNotProcurementAgent", args: (ctx) => [ctx.callerAddress] }),
    call: (c) => c.fx.market.procure.populateTransaction(1n, 1n, REASON),
  },
  {
    target: "market",
    signature: "confirmDelivery(uint64,bytes32)",
    allowed: ["PROCESSOR"],
    ownership: { role: "PROCESSOR", mode: "owner-only", owner: (fx) => fx.processor, nonOwner: (fx) => fx.processor2, denial: { in: "market", name: "MarketNotParty", args: (ctx) => [1n, ctx.callerAddress] } },
    setup: traded,
    denied: notParty,
    call: (c) => c.fx.market.confirmDelivery.populateTransaction(1n, REASON),
  },
  {
    target: "market",
    signature: "confirmReceipt(uint64)",
    allowed: ["PROCESSOR"],
    ownership: { role: "PROCESSOR", mode: "owner-only", owner: (fx) => fx.processor2, nonOwner: (fx) => fx.processor, denial: { in: "market", name: "MarketNotParty", args: (ctx) => [1n, ctx.callerAddress] } },
    setup: async (fx) => {
      await traded(fx);
      await (await fx.market.connect(fx.processor).confirmDelivery(1n, REASON)).wait();
    },
    denied: notParty,
    call: (c) => c.fx.market.confirmReceipt.populateTransaction(1n),
  },
  {
    target: "market",
    signature: "disputeTrade(uint64,bytes32)",
    // The buyer or the seller (both processors here).
    allowed: ["PROCESSOR"],
    ownership: { role: "PROCESSOR", mode: "owner-only", owner: (fx) => fx.processor2, nonOwner: (fx) => fx.processor3, denial: { in: "market", name: "MarketNotParty", args: (ctx) => [1n, ctx.callerAddress] } },
    setup: traded,
    denied: notParty,
    call: (c) => c.fx.market.disputeTrade.populateTransaction(1n, REASON),
  },
];

export const ACCESS_MATRIX: readonly AccessRow[] = [
  ...MEMBER_ROWS,
  ...RESOURCE_ROWS,
  ...GRANT_ROWS,
  ...GRANT_MARKET_ROWS,
  ...CONDITION_ROWS,
  ...PRODUCT_ROWS,
  ...ADMISSION_ROWS,
  ...MARKET_ROWS,
];

/** Write functions of `target`'s ABI without a row, and rows naming a function the ABI lacks. */
export function coverageOf(target: Target, iface: Interface = TARGETS[target].iface): { missing: string[]; stale: string[] } {
  const writes = writeSignatures(iface);
  const rows = new Set(ACCESS_MATRIX.filter((r) => r.target === target).map((r) => r.signature));
  return { missing: writes.filter((s) => !rows.has(s)), stale: [...rows].filter((s) => !writes.includes(s)).sort() };
}
