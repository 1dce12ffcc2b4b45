// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IConsentRegistry} from "../interfaces/IConsentRegistry.sol";
import {IMemberRegistry} from "../interfaces/IMemberRegistry.sol";
import {ISubjectRegistry} from "../interfaces/ISubjectRegistry.sol";
import {MemberGated} from "../access/MemberGated.sol";
import {Traceable} from "../trace/Traceable.sol";
import {Roles} from "../libraries/Roles.sol";
import {Actions} from "../libraries/Actions.sol";
import {SubjectKeys} from "../libraries/SubjectKeys.sol";
import {Category, SubjectKind, SubjectState} from "../libraries/DataTypes.sol";

/// @title ConsentRegistry
/// @notice Personal-information consent records (个人信息授权), one slot each; the commitment to the evidence is
/// carried by the ConsentRecorded event.
contract ConsentRegistry is MemberGated, Traceable, IConsentRegistry {
    ISubjectRegistry private immutable _resources;
    mapping(uint64 consentId => Consent) private _consents;
    mapping(uint64 resourceId => uint64 consentId) private _current;
    uint64 private _count;

    /// @param members_ the member registry.
    /// @param resources the resource registry (holders and categories).
    constructor(IMemberRegistry members_, ISubjectRegistry resources) MemberGated(members_) {
        _resources = resources;
    }

    /// @inheritdoc IConsentRegistry
    function record(uint64 resourceId, bytes32 commitment, uint32 purposes, uint32 subjects, uint40 expiry)
        external
        onlyMemberWith(Roles.HOLDER)
        returns (uint64 consentId)
    {
        SubjectState memory s = _resources.subjectState(resourceId);
        if (!s.exists || s.category != Category.Personal) revert ConsentNotPersonalResource(resourceId);
        if (s.holder != msg.sender) revert ConsentNotHolder(resourceId, msg.sender);
        if (commitment == bytes32(0)) revert ConsentEmptyHash();
        if (purposes == 0) revert ConsentInvalidPurposes(purposes);
        if (expiry <= block.timestamp || subjects == 0) revert ConsentInvalidTerms(expiry, subjects);
        consentId = ++_count;
        _consents[consentId] = Consent(resourceId, purposes, expiry, subjects);
        _current[resourceId] = consentId;
        emit ConsentRecorded(consentId, resourceId, msg.sender, commitment, purposes, subjects, expiry);
        _trace(_key(consentId), Actions.CONSENT_RECORDED, keccak256(abi.encode(consentId, resourceId, msg.sender, commitment, purposes, subjects, expiry)));
    }

    /// @inheritdoc IConsentRegistry
    function withdraw(uint64 consentId, uint32 purposes, bytes32 reasonHash) external onlyActiveMember {
        Consent storage c = _existing(consentId);
        if (_resources.subjectState(c.resourceId).holder != msg.sender && !_members.hasActiveRole(msg.sender, Roles.REGULATOR)) {
            revert ConsentNotWithdrawer(consentId, msg.sender);
        }
        uint32 live = c.purposes;
        if (purposes == 0 || purposes & ~live != 0) revert ConsentInvalidPurposes(purposes);
        if (reasonHash == bytes32(0)) revert ConsentEmptyHash();
        uint32 remaining = live & ~purposes;
        c.purposes = remaining;
        emit ConsentWithdrawn(consentId, msg.sender, purposes, remaining, reasonHash);
        _trace(_key(consentId), Actions.CONSENT_WITHDRAWN, keccak256(abi.encode(consentId, msg.sender, purposes, remaining, reasonHash)));
    }

    /// @inheritdoc IConsentRegistry
    function currentConsent(uint64 resourceId) external view returns (uint64) {
        return _current[resourceId];
    }

    /// @inheritdoc IConsentRegistry
    function covers(uint64 consentId, uint32 purposes) external view returns (bool) {
        Consent storage c = _consents[consentId];
        return purposes != 0 && c.purposes & purposes == purposes && block.timestamp < c.expiry;
    }

    /// @inheritdoc IConsentRegistry
    function getConsent(uint64 consentId) external view returns (Consent memory) {
        return _existing(consentId);
    }

    function _existing(uint64 consentId) private view returns (Consent storage c) {
        c = _consents[consentId];
        if (c.resourceId == 0) revert ConsentUnknown(consentId);
    }

    function _key(uint64 consentId) private pure returns (bytes32) {
        return SubjectKeys.key(SubjectKind.Consent, consentId);
    }
}
