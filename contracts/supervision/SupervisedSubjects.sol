// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ISupervisedSubjects} from "../interfaces/ISupervisedSubjects.sol";
import {ITradeLookup} from "../interfaces/ITradeLookup.sol";
import {IOperationRegistry} from "../interfaces/IOperationRegistry.sol";
import {IConsentRegistry} from "../interfaces/IConsentRegistry.sol";
import {IMemberRegistry} from "../interfaces/IMemberRegistry.sol";
import {MemberGated} from "../access/MemberGated.sol";
import {Traceable} from "../trace/Traceable.sol";
import {Roles} from "../libraries/Roles.sol";
import {Actions} from "../libraries/Actions.sol";
import {SubjectKeys} from "../libraries/SubjectKeys.sol";
import {SubjectKind, MemberStatus} from "../libraries/DataTypes.sol";
import {LedgerRegistries} from "../libraries/SupervisionTypes.sol";

/// @title SupervisedSubjects
/// @notice Base of the report and dispute registries: decodes a subject key and checks that its subject exists in the
/// registry that keeps it. Trades are looked up through {ITradeLookup}, wired by governance once the market exists;
/// until then a trade subject is refused with {SupervisionTradesNotWired}.
abstract contract SupervisedSubjects is MemberGated, Traceable, ISupervisedSubjects {
    uint256 private constant _ID_MASK = (uint256(1) << 248) - 1;

    LedgerRegistries internal _registries;
    ITradeLookup private _trades;

    constructor(IMemberRegistry members_, LedgerRegistries memory registries_) MemberGated(members_) {
        _registries = registries_;
    }

    /// @inheritdoc ISupervisedSubjects
    function setTradeLookup(address lookup) external onlyMemberWith(Roles.GOVERNANCE) {
        if (lookup == address(0)) revert SupervisionZeroAddress();
        if (address(_trades) != address(0)) revert SupervisionTradeLookupAlreadySet(address(_trades));
        _trades = ITradeLookup(lookup);
        emit TradeLookupSet(lookup, msg.sender);
        _trace(_ledgerSubject(), Actions.PARAMETER_SET, keccak256(abi.encode(lookup, msg.sender)));
    }

    /// @inheritdoc ISupervisedSubjects
    function tradeLookup() external view returns (address) {
        return address(_trades);
    }

    /// @dev Reverts unless `subject` is a well-formed key of an existing member, resource, grant, product, trade,
    /// operation authorization or consent record; returns its kind and id (an address for a member).
    function _checkSubject(bytes32 subject) internal view returns (SubjectKind kind, uint256 id) {
        uint256 raw = uint256(subject) >> 248;
        if (raw > uint256(type(SubjectKind).max)) revert SupervisionUnknownSubject(subject);
        kind = SubjectKind(raw);
        id = uint256(subject) & _ID_MASK;
        if (kind == SubjectKind.Member) {
            if (id >> 160 != 0 || _members.statusOf(address(uint160(id))) == MemberStatus.None) revert SupervisionUnknownSubject(subject);
            return (kind, id);
        }
        if (
            kind == SubjectKind.None || kind == SubjectKind.Ledger || kind == SubjectKind.Report || kind == SubjectKind.Dispute
        ) revert SupervisionSubjectKindUnsupported(kind);
        if (id == 0 || id > type(uint64).max || !_exists(kind, uint64(id))) revert SupervisionUnknownSubject(subject);
    }

    function _exists(SubjectKind kind, uint64 id) private view returns (bool) {
        LedgerRegistries storage r = _registries;
        if (kind == SubjectKind.Resource) return id <= r.resources.resourceCount();
        if (kind == SubjectKind.Grant) return id <= r.grants.grantCount();
        if (kind == SubjectKind.Product) return id <= r.products.productCount();
        if (kind == SubjectKind.Trade) {
            if (address(_trades) == address(0)) revert SupervisionTradesNotWired();
            return _trades.tradeExists(id);
        }
        if (kind == SubjectKind.OperationAuthorization) return _authorizationExists(r.operations, id);
        return _consentExists(r.consents, id);
    }

    function _authorizationExists(IOperationRegistry operations, uint64 id) private view returns (bool) {
        try operations.getAuthorization(id) returns (IOperationRegistry.Authorization memory) {
            return true;
        } catch {
            return false;
        }
    }

    function _consentExists(IConsentRegistry consents, uint64 id) private view returns (bool) {
        try consents.getConsent(id) returns (IConsentRegistry.Consent memory) {
            return true;
        } catch {
            return false;
        }
    }

    /// @dev The key of a report or dispute of this contract.
    function _keyOf(SubjectKind kind, uint64 id) internal pure returns (bytes32) {
        return SubjectKeys.key(kind, id);
    }
}
