import { h } from "./fixtures.js";
import { Category, Domain, Grade, OpenClass, ResourceKind } from "./enums.js";

/** The arguments of ResourceRegistry.register, by name. */
export interface RegisterInput {
  kind: number;
  category: number;
  grade: number;
  domain: number;
  openClass: number;
  catalogueHash: string;
  catalogueUri: string;
}

/** A valid registration (a general-grade enterprise data set), with `overrides`. */
export const registerInput = (overrides: Partial<RegisterInput> = {}): RegisterInput => ({
  kind: ResourceKind.DataSet,
  category: Category.Enterprise,
  grade: Grade.General,
  domain: Domain.PortLogistics,
  openClass: OpenClass.NotApplicable,
  catalogueHash: h("catalogue:new"),
  catalogueUri: "ipfs://catalogue/new",
  ...overrides,
});

/** The positional arguments of register(...) for `input`, in declaration order. */
export const registerArgs = (input: RegisterInput = registerInput()) =>
  [input.kind, input.category, input.grade, input.domain, input.openClass, input.catalogueHash, input.catalogueUri] as const;
