// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ISanctions} from "../interfaces/ISanctions.sol";
import {IMemberRegistry} from "../interfaces/IMemberRegistry.sol";
import {IReportRegistry} from "../interfaces/IReportRegistry.sol";
import {IDisputeRegistry} from "../interfaces/IDisputeRegistry.sol";
import {MemberGated} from "../access/MemberGated.sol";
import {Traceable} from "../trace/Traceable.sol";
import {Roles} from "../libraries/Roles.sol";
import {Actions} from "../libraries/Actions.sol";
import {SubjectKeys} from "../libraries/SubjectKeys.sol";
import {SubjectKind} from "../libraries/DataTypes.sol";
import {SanctionKind, LedgerRegistries} from "../libraries/SupervisionTypes.sol";
import {Causes} from "./Causes.sol";

/// @title Sanctions
/// @notice Regulator sanctions with a cause (see {ISanctions}). Deployed as a regulator member of the consortium: the
/// freezes, suspensions and consent withdrawals are the registries' own regulator functions, called by this contract.
contract Sanctions is MemberGated, Traceable, ISanctions {
    uint256 private constant _ID_MASK = (uint256(1) << 248) - 1;

    LedgerRegistries private _registries;
    IReportRegistry private immutable _reports;
    IDisputeRegistry private immutable _disputes;
    mapping(uint64 sanctionId => Sanction) private _sanctions;
    uint64 private _count;

    /// @param members_ the member registry (also the registry suspensions go to).
    /// @param registries_ the registries acted on.
    /// @param reports the report registry (causes).
    /// @param disputes the dispute registry (causes).
    constructor(IMemberRegistry members_, LedgerRegistries memory registries_, IReportRegistry reports, IDisputeRegistry disputes)
        MemberGated(members_)
    {
        _registries = registries_;
        _reports = reports;
        _disputes = disputes;
    }

    // ==== WRITES ====

    /// @inheritdoc ISanctions
    function freeze(bytes32 subject, bytes32 cause, bytes32 reasonHash)
        external
        onlyMemberWith(Roles.REGULATOR)
        returns (uint64 sanctionId)
    {
        _checkCause(cause, reasonHash);
        (SanctionKind kind, uint256 id) = _decode(subject);
        sanctionId = _record(subject, cause, kind, reasonHash);
        if (kind == SanctionKind.FreezeResource) _registries.resources.freeze(uint64(id), reasonHash);
        else if (kind == SanctionKind.FreezeGrant) _registries.grants.freeze(uint64(id), reasonHash);
        else if (kind == SanctionKind.FreezeProduct) _registries.products.freeze(uint64(id), reasonHash);
        else _members.suspend(address(uint160(id)), reasonHash);
    }

    /// @inheritdoc ISanctions
    function withdrawConsent(uint64 consentId, uint32 purposes, bytes32 cause, bytes32 reasonHash)
        external
        onlyMemberWith(Roles.REGULATOR)
        returns (uint64 sanctionId)
    {
        _checkCause(cause, reasonHash);
        sanctionId = _record(SubjectKeys.key(SubjectKind.Consent, consentId), cause, SanctionKind.WithdrawConsent, reasonHash);
        _registries.consents.withdraw(consentId, purposes, reasonHash);
    }

    /// @inheritdoc ISanctions
    function lift(uint64 sanctionId, bytes32 reasonHash) external onlyMemberWith(Roles.REGULATOR) {
        Sanction storage s = _existing(sanctionId);
        SanctionKind kind = s.kind;
        if (s.lifted || kind == SanctionKind.WithdrawConsent) revert SanctionNotLiftable(sanctionId);
        if (reasonHash == bytes32(0)) revert SanctionEmptyReason();
        s.lifted = true;
        bytes32 subject = s.subject;
        emit SanctionLifted(sanctionId, subject, s.cause, msg.sender, reasonHash);
        _trace(_ledgerSubject(), Actions.SANCTION_LIFTED, keccak256(abi.encode(sanctionId, subject, s.cause, msg.sender, reasonHash)));
        uint256 id = uint256(subject) & _ID_MASK;
        if (kind == SanctionKind.FreezeResource) _registries.resources.unfreeze(uint64(id), reasonHash);
        else if (kind == SanctionKind.FreezeGrant) _registries.grants.unfreeze(uint64(id), reasonHash);
        else if (kind == SanctionKind.FreezeProduct) _registries.products.unfreeze(uint64(id), reasonHash);
        else _members.reinstate(address(uint160(id)), reasonHash);
    }

    // ==== VIEWS ====

    /// @inheritdoc ISanctions
    function getSanction(uint64 sanctionId) external view returns (Sanction memory) {
        return _existing(sanctionId);
    }

    /// @inheritdoc ISanctions
    function sanctionCount() external view returns (uint64) {
        return _count;
    }

    // ==== INTERNAL ====

    function _checkCause(bytes32 cause, bytes32 reasonHash) private view {
        if (reasonHash == bytes32(0)) revert SanctionEmptyReason();
        if (!Causes.isLive(cause, _reports, _disputes)) revert SanctionInvalidCause(cause);
    }

    /// @dev The sanction a subject key calls for, and the subject's id; the registry acted on checks existence.
    function _decode(bytes32 subject) private pure returns (SanctionKind kind, uint256 id) {
        uint256 raw = uint256(subject) >> 248;
        id = uint256(subject) & _ID_MASK;
        if (raw == uint256(SubjectKind.Member) && id >> 160 == 0) return (SanctionKind.SuspendMember, id);
        if (id > type(uint64).max) revert SanctionInvalidSubject(subject);
        if (raw == uint256(SubjectKind.Resource)) return (SanctionKind.FreezeResource, id);
        if (raw == uint256(SubjectKind.Grant)) return (SanctionKind.FreezeGrant, id);
        if (raw == uint256(SubjectKind.Product)) return (SanctionKind.FreezeProduct, id);
        revert SanctionInvalidSubject(subject);
    }

    /// @dev Stores and announces the sanction before the registry call (which then traces the subject itself).
    function _record(bytes32 subject, bytes32 cause, SanctionKind kind, bytes32 reasonHash) private returns (uint64 sanctionId) {
        sanctionId = ++_count;
        _sanctions[sanctionId] = Sanction(subject, cause, kind, false, uint40(block.timestamp));
        emit SanctionApplied(sanctionId, subject, cause, msg.sender, kind, reasonHash);
        _trace(_ledgerSubject(), Actions.SANCTION_APPLIED, keccak256(abi.encode(sanctionId, subject, cause, msg.sender, kind, reasonHash)));
    }

    function _existing(uint64 sanctionId) private view returns (Sanction storage s) {
        s = _sanctions[sanctionId];
        if (s.subject == bytes32(0)) revert SanctionUnknown(sanctionId);
    }
}
