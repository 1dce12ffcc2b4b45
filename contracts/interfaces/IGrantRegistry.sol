// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {RightType, SubjectKind, Scope, Invalidity, ScopeField} from "../libraries/DataTypes.sol";

/// @title IGrantRegistry
/// @notice Grants of the processing-use and product-operation rights, with scope, sub-grants, exclusivity,
/// revocation and freezing. "Is grant G valid now?" has one answer, computed here with bounded gas.
interface IGrantRegistry {
    /// @notice A grant as returned by {getGrant}. Storage keeps only what the rules need: `purposes`, `region`
    /// and `cap` are stored (and returned) only for sub-grantable grants, the only ones a rule reads them from;
    /// for the others they read zero here, and the GrantIssued event carries the full scope.
    struct Grant {
        address grantee;
        uint40 validFrom;
        uint40 validUntil;
        RightType rightType;
        uint8 depth;
        address grantor;
        uint64 parentId;
        SubjectKind subjectKind;
        bool revoked;
        bool frozen;
        bool exclusive;
        bool maySubGrant;
        uint64 subjectId;
        uint32 purposes;
        uint32 region;
        uint64 cap;
    }

    /// @notice Thrown when `grantId` was never issued.
    error GrantUnknown(uint64 grantId);
    /// @notice Thrown when the right type cannot be granted over the subject kind (the holding right moves only
    /// by transfer; product-operation applies to products).
    error GrantRightNotGrantable(RightType rightType, SubjectKind subjectKind);
    /// @notice Thrown when no subject registry is configured for `subjectKind`.
    error GrantSubjectKindUnsupported(SubjectKind subjectKind);
    /// @notice Thrown when the grantee is the zero address.
    error GrantZeroGrantee();
    /// @notice Thrown when the grantee is the grantor.
    error GrantSelfGrant(address account);
    /// @notice Thrown when the grantee is not an active member holding the role the right needs.
    error GrantGranteeNotEligible(address grantee, bytes32 role);
    /// @notice Thrown when the terms hash or a reason hash is zero.
    error GrantEmptyHash();
    /// @notice Thrown when the scope names no purpose.
    error GrantEmptyPurposes();
    /// @notice Thrown when valid-from is not before valid-until, or the window has already ended.
    error GrantInvalidWindow(uint40 validFrom, uint40 validUntil);
    /// @notice Thrown when the sub-grant depth exceeds the maximum.
    error GrantDepthOverflow(uint8 depth, uint8 max);
    /// @notice Thrown when a sub-grant names a different right type or subject than its parent.
    error GrantParentMismatch(uint64 parentId);
    /// @notice Thrown when the caller of a sub-grant is not the parent's grantee.
    error GrantNotParentGrantee(uint64 parentId, address account);
    /// @notice Thrown when the parent does not allow sub-grants (or has no depth left).
    error GrantParentNoSubGrant(uint64 parentId);
    /// @notice Thrown when the parent grant is not valid now.
    error GrantParentNotValid(uint64 parentId, Invalidity reason, uint64 atGrant);
    /// @notice Thrown when a sub-grant's scope exceeds its parent's in `field`.
    error GrantScopeExceedsParent(uint64 parentId, ScopeField field);
    /// @notice Thrown when `account` may not revoke `grantId` (neither its grantor nor a regulator).
    error GrantNotRevoker(uint64 grantId, address account);
    /// @notice Thrown when the grant is already revoked.
    error GrantAlreadyRevoked(uint64 grantId);
    /// @notice Thrown when freezing a frozen grant or unfreezing one that is not frozen.
    error GrantFreezeUnchanged(uint64 grantId, bool frozen);
    /// @notice Thrown when `grantId` is not valid; names the first cause found walking up the chain.
    error GrantNotValid(uint64 grantId, Invalidity reason, uint64 atGrant);
    /// @notice Thrown when `grantId` is not a grant of the named right over the named subject held by `holder`.
    error GrantNotHeld(uint64 grantId, address holder);
    /// @notice Thrown when a subject registry address is zero.
    error GrantZeroRegistry();
    /// @notice Thrown when the operation and consent registries are wired a second time.
    error GrantConditionsAlreadySet();
    /// @notice Thrown when a grant needs a condition registry that is not wired yet.
    error GrantConditionsNotWired();
    /// @notice Thrown when a processing-use grant on public data goes to a grantee without an operation
    /// authorization covering the resource.
    error GrantNeedsOperationAuthorization(address grantee, uint64 resourceId);
    /// @notice Thrown when the grantee's operation authorization over the resource is not in force.
    error GrantOperationAuthorizationInvalid(uint64 authorizationId);
    /// @notice Thrown when a grant on personal data has no consent record to rest on.
    error GrantNeedsConsent(uint64 resourceId);
    /// @notice Thrown when a market-only function is called by another account (or before the market is wired).
    error GrantCallerNotMarket(address caller);
    /// @notice Thrown when the market is wired a second time.
    error GrantMarketAlreadySet();
    /// @notice Thrown when a licence sold on the market would be exclusive or sub-grantable.
    error GrantSaleScopeNotLeaf();
    /// @notice Thrown when the current consent is not live or does not cover the grant's purposes.
    error GrantConsentDoesNotCover(uint64 consentId, uint32 purposes);

    /// @notice Emitted when a grant or sub-grant is issued. Carries all it takes to rebuild the grant.
    event GrantIssued(
        uint64 indexed grantId,
        uint64 indexed parentId,
        address indexed grantee,
        address grantor,
        RightType rightType,
        SubjectKind subjectKind,
        uint64 subjectId,
        Scope scope,
        bytes32 termsHash,
        uint64 authorizationId,
        uint64 consentId
    );
    /// @notice Emitted when a grant is revoked by its grantor or a regulator.
    event GrantRevoked(uint64 indexed grantId, address indexed by, bytes32 reasonHash);
    /// @notice Emitted when a regulator freezes a grant.
    event GrantFrozen(uint64 indexed grantId, address indexed by, bytes32 reasonHash);
    /// @notice Emitted when a regulator unfreezes a grant.
    event GrantUnfrozen(uint64 indexed grantId, address indexed by, bytes32 reasonHash);
    /// @notice Emitted once, when governance wires the operation-authorization and consent registries.
    event ConditionRegistriesSet(address indexed operations, address indexed consents, address indexed by);
    /// @notice Emitted once, when governance wires the market that issues licences on sale.
    event MarketSet(address indexed market, address indexed by);
    /// @notice Emitted when governance wires the registry of a subject kind.
    event SubjectRegistrySet(SubjectKind indexed subjectKind, address indexed registry, address indexed by);

    /// @notice Grants `rightType` over a subject to `grantee`. With `parentId` 0 the caller must hold the
    /// subject's holding right, and the subject's registry checks that it may circulate and claims exclusivity
    /// (reverting with its own errors, or `ExclusivityConflict`); otherwise the caller must be the grantee of valid grant `parentId`, which
    /// must allow sub-grants, and the new scope must lie within the parent's.
    /// @return grantId the new grant's id.
    function grant(
        RightType rightType,
        SubjectKind subjectKind,
        uint64 subjectId,
        address grantee,
        Scope calldata scope,
        bytes32 termsHash,
        uint64 parentId
    ) external returns (uint64 grantId);

    /// @notice Issues the licence a trade gives its buyer: a processing-use grant over product `productId` from
    /// `seller` to `buyer`, shared and not sub-grantable. Only the market calls this, after it has checked the
    /// seller's right to sell and the product's lineage.
    /// @return grantId the new grant's id.
    function grantOnSale(uint64 productId, address seller, address buyer, Scope calldata scope, bytes32 termsHash)
        external
        returns (uint64 grantId);

    /// @notice Wires, once, the market allowed to call {grantOnSale}. Governance only.
    function setMarket(address market_) external;

    /// @notice The market wired by {setMarket} (zero until then).
    function market() external view returns (address);

    /// @notice Revokes `grantId` and so everything granted below it. By its grantor, or by a regulator.
    function revoke(uint64 grantId, bytes32 reasonHash) external;

    /// @notice Freezes `grantId` (and so everything below it). Regulator only.
    function freeze(uint64 grantId, bytes32 reasonHash) external;

    /// @notice Unfreezes `grantId`. Regulator only.
    function unfreeze(uint64 grantId, bytes32 reasonHash) external;

    /// @notice Wires, once, the registries of the conditions grants may rest on: public-data operation
    /// authorizations and personal-information consent. Governance only.
    function setConditionRegistries(address operations, address consents) external;

    /// @notice The operation authorization and consent (with the purposes it must cover) grant `grantId` rests on.
    function conditionsOf(uint64 grantId) external view returns (uint64 authorizationId, uint64 consentId, uint32 purposes);

    /// @notice Sets the registry answering for subjects of `subjectKind` (the resource registry is fixed at
    /// deployment, so only later kinds such as products). Governance only.
    function setSubjectRegistry(SubjectKind subjectKind, address registry) external;

    /// @notice Whether `grantId` is valid now: it and every ancestor unrevoked, unexpired, unfrozen, every party
    /// active, the subject active and not under objection.
    function isGrantValid(uint64 grantId) external view returns (bool);

    /// @notice Why `grantId` is not valid now (`None` when valid), and the grant in the chain where it fails.
    function grantValidity(uint64 grantId) external view returns (Invalidity reason, uint64 atGrant);

    /// @notice Reverts with {GrantNotValid} unless `grantId` is valid now.
    function checkGrantValid(uint64 grantId) external view;

    /// @notice Reverts unless `grantId` is a valid grant of `rightType` over (`subjectKind`, `subjectId`) held by
    /// `holder` (GrantNotHeld, or GrantNotValid naming the cause). What a product registration asks of each input.
    function checkHeldGrant(uint64 grantId, address holder, RightType rightType, SubjectKind subjectKind, uint64 subjectId) external view;

    /// @notice The stored state of `grantId`.
    function getGrant(uint64 grantId) external view returns (Grant memory);

    /// @notice The number of grants issued so far (ids are 1..count).
    function grantCount() external view returns (uint64);
}
