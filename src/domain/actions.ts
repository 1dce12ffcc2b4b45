import { Action } from "./enums.js";

/**
 * The domain event(s) whose arguments an action's payload commits to (PARAMETER_SET names a different event per
 * contract). A TraceRecorded entry commits to the event of its transaction with one of these names whose
 * arguments hash to the entry's payloadHash.
 */
export const ACTION_EVENTS: Readonly<Record<number, readonly string[]>> = {
  [Action.PARAMETER_SET]: ["ObjectionWindowSet", "SubjectRegistrySet", "GrantRegistrySet", "ConditionRegistriesSet"],
  [Action.MEMBER_ADMITTED]: ["MemberAdmitted"],
  [Action.ROLE_GRANTED]: ["RoleGranted"],
  [Action.ROLE_REVOKED]: ["RoleRevoked"],
  [Action.MEMBER_SUSPENDED]: ["MemberSuspended"],
  [Action.MEMBER_REINSTATED]: ["MemberReinstated"],
  [Action.MEMBER_EXPELLED]: ["MemberExpelled"],
  [Action.RESOURCE_REGISTERED]: ["ResourceRegistered"],
  [Action.RESOURCE_TRANSFERRED]: ["ResourceTransferred"],
  [Action.RESOURCE_CHANGED]: ["ResourceChanged"],
  [Action.RESOURCE_CANCELLED]: ["ResourceCancelled"],
  [Action.OBJECTION_FILED]: ["ObjectionFiled"],
  [Action.OBJECTION_RESOLVED]: ["ObjectionResolved"],
  [Action.RESOURCE_FROZEN]: ["ResourceFrozen"],
  [Action.RESOURCE_UNFROZEN]: ["ResourceUnfrozen"],
  [Action.GRANT_ISSUED]: ["GrantIssued"],
  [Action.GRANT_REVOKED]: ["GrantRevoked"],
  [Action.GRANT_FROZEN]: ["GrantFrozen"],
  [Action.GRANT_UNFROZEN]: ["GrantUnfrozen"],
  [Action.AUTHORIZATION_GRANTED]: ["OperationAuthorized"],
  [Action.AUTHORIZATION_EVALUATED]: ["OperationEvaluated"],
  [Action.AUTHORIZATION_EXITED]: ["OperationExitedBy"],
  [Action.CONSENT_RECORDED]: ["ConsentRecorded"],
  [Action.CONSENT_WITHDRAWN]: ["ConsentWithdrawn"],
  [Action.PRODUCT_REGISTERED]: ["ProductRegistered"],
  [Action.PRODUCT_FROZEN]: ["ProductFrozen"],
  [Action.PRODUCT_UNFROZEN]: ["ProductUnfrozen"],
  [Action.PRODUCT_CANCELLED]: ["ProductCancelled"],
};
