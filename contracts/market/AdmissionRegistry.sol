// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IAdmissionRegistry} from "../interfaces/IAdmissionRegistry.sol";
import {IMemberRegistry} from "../interfaces/IMemberRegistry.sol";
import {IProductRegistry} from "../interfaces/IProductRegistry.sol";
import {MemberGated} from "../access/MemberGated.sol";
import {Traceable} from "../trace/Traceable.sol";
import {Roles} from "../libraries/Roles.sol";
import {Actions} from "../libraries/Actions.sol";
import {SubjectKeys} from "../libraries/SubjectKeys.sol";
import {Category, Domain, Grade, RatingKind, SubjectKind, SubjectState} from "../libraries/DataTypes.sol";

/// @title AdmissionRegistry
/// @notice What the market admits: the lists and levels governance keeps, and the ratings certifiers record. Each
/// list entry is one slot keyed by its combination, so the market's check of a lineage reads one slot per resource.
/// Ratings are subjects of their own (SubjectKind.Rating); list changes are traced on this contract's ledger subject.
contract AdmissionRegistry is MemberGated, Traceable, IAdmissionRegistry {
    IProductRegistry private immutable _products;

    mapping(uint256 combo => uint32 purposes) private _negative;
    mapping(uint32 scenario => bool listed) private _positive;
    mapping(Grade grade => uint8 level) private _requiredLevel;
    mapping(address account => bool marked) private _government;
    mapping(uint64 ratingId => Rating) private _ratings;
    mapping(uint64 productId => uint64 ratingId) private _certification;
    mapping(address account => uint64 ratingId) private _qualification;
    uint64 private _count;

    /// @param members_ the member registry.
    /// @param products the product registry (rated products and their holders).
    constructor(IMemberRegistry members_, IProductRegistry products) MemberGated(members_) {
        _products = products;
    }

    // ==== GOVERNANCE ====

    /// @inheritdoc IAdmissionRegistry
    function setNegativeEntry(Domain domain, Category category, Grade grade, uint32 purposes, bytes32 reasonHash)
        external
        onlyMemberWith(Roles.GOVERNANCE)
    {
        if (reasonHash == bytes32(0)) revert AdmissionEmptyHash();
        uint256 combo = _combo(domain, category, grade);
        if (grade == Grade.Core || _negative[combo] == purposes) revert AdmissionInvalidEntry();
        _negative[combo] = purposes;
        emit NegativeEntrySet(domain, category, grade, purposes, reasonHash, msg.sender);
        _trace(_ledgerSubject(), Actions.NEGATIVE_ENTRY_SET, keccak256(abi.encode(domain, category, grade, purposes, reasonHash, msg.sender)));
    }

    /// @inheritdoc IAdmissionRegistry
    function setPositiveEntry(uint32 scenario, bool listed, bytes32 descriptionHash) external onlyMemberWith(Roles.GOVERNANCE) {
        if (descriptionHash == bytes32(0)) revert AdmissionEmptyHash();
        if (scenario == 0 || _positive[scenario] == listed) revert AdmissionInvalidEntry();
        _positive[scenario] = listed;
        emit PositiveEntrySet(scenario, listed, descriptionHash, msg.sender);
        _trace(_ledgerSubject(), Actions.POSITIVE_ENTRY_SET, keccak256(abi.encode(scenario, listed, descriptionHash, msg.sender)));
    }

    /// @inheritdoc IAdmissionRegistry
    function setRequiredLevel(Grade grade, uint8 level) external onlyMemberWith(Roles.GOVERNANCE) {
        if (grade == Grade.Core || _requiredLevel[grade] == level) revert AdmissionInvalidEntry();
        _requiredLevel[grade] = level;
        emit RequiredLevelSet(grade, level, msg.sender);
        _trace(_ledgerSubject(), Actions.REQUIRED_LEVEL_SET, keccak256(abi.encode(grade, level, msg.sender)));
    }

    /// @inheritdoc IAdmissionRegistry
    function setGovernmentDepartment(address account, bool marked) external onlyMemberWith(Roles.GOVERNANCE) {
        if (marked && !_members.isActive(account)) revert AdmissionNotMember(account);
        if (_government[account] == marked) revert AdmissionInvalidEntry();
        _government[account] = marked;
        emit GovernmentDepartmentSet(account, marked, msg.sender);
        _trace(_ledgerSubject(), Actions.GOVERNMENT_DEPARTMENT_SET, keccak256(abi.encode(account, marked, msg.sender)));
    }

    // ==== RATINGS ====

    /// @inheritdoc IAdmissionRegistry
    function certifyProduct(uint64 productId, uint8 level, uint40 expiry, bytes32 reportHash)
        external
        onlyMemberWith(Roles.CERTIFIER)
        returns (uint64 ratingId)
    {
        _checkRating(level, expiry, reportHash);
        _checkProduct(productId);
        ratingId = _record(RatingKind.Certification, uint160(productId), level, expiry, 0, reportHash);
        _certification[productId] = ratingId;
    }

    /// @inheritdoc IAdmissionRegistry
    function qualifyMember(address account, uint8 level, uint40 expiry, bytes32 reportHash)
        external
        onlyMemberWith(Roles.CERTIFIER)
        returns (uint64 ratingId)
    {
        _checkRating(level, expiry, reportHash);
        if (account == msg.sender) revert AdmissionConflictOfInterest(msg.sender);
        if (!_members.isActive(account)) revert AdmissionNotMember(account);
        ratingId = _record(RatingKind.Qualification, uint160(account), level, expiry, 0, reportHash);
        _qualification[account] = ratingId;
    }

    /// @inheritdoc IAdmissionRegistry
    function assessProduct(uint64 productId, RatingKind kind, uint128 value, bytes32 reportHash)
        external
        onlyMemberWith(Roles.CERTIFIER)
        returns (uint64 ratingId)
    {
        if (kind != RatingKind.Quality && kind != RatingKind.Valuation) revert AdmissionWrongKind(kind);
        if (reportHash == bytes32(0)) revert AdmissionEmptyHash();
        _checkProduct(productId);
        ratingId = _record(kind, uint160(productId), 0, 0, value, reportHash);
    }

    /// @inheritdoc IAdmissionRegistry
    function revokeRating(uint64 ratingId, bytes32 reasonHash) external onlyActiveMember {
        Rating storage r = _ratings[ratingId];
        if (r.certifier == address(0)) revert AdmissionUnknownRating(ratingId);
        if (r.revoked) revert AdmissionRatingRevoked(ratingId);
        if (msg.sender != r.certifier && !_members.hasActiveRole(msg.sender, Roles.REGULATOR)) {
            revert AdmissionNotRevoker(ratingId, msg.sender);
        }
        if (reasonHash == bytes32(0)) revert AdmissionEmptyHash();
        r.revoked = true;
        emit RatingRevoked(ratingId, msg.sender, reasonHash);
        _trace(_key(ratingId), Actions.RATING_REVOKED, keccak256(abi.encode(ratingId, msg.sender, reasonHash)));
    }

    // ==== VIEWS ====

    /// @inheritdoc IAdmissionRegistry
    function prohibitedPurposes(Domain domain, Category category, Grade grade) external view returns (uint32) {
        return _negative[_combo(domain, category, grade)];
    }

    /// @inheritdoc IAdmissionRegistry
    function isEncouraged(uint32 scenario) external view returns (bool) {
        return _positive[scenario];
    }

    /// @inheritdoc IAdmissionRegistry
    function requiredLevel(Grade grade) external view returns (uint8) {
        return _requiredLevel[grade];
    }

    /// @inheritdoc IAdmissionRegistry
    function isGovernmentDepartment(address account) external view returns (bool) {
        return _government[account];
    }

    /// @inheritdoc IAdmissionRegistry
    function certificationLevel(uint64 productId) external view returns (uint8 level, uint64 ratingId) {
        ratingId = _certification[productId];
        level = _levelInForce(ratingId);
    }

    /// @inheritdoc IAdmissionRegistry
    function qualificationLevel(address account) external view returns (uint8 level, uint64 ratingId) {
        ratingId = _qualification[account];
        level = _levelInForce(ratingId);
        // A qualification lapses with its holder's membership.
        if (!_members.isActive(account)) level = 0;
    }

    /// @inheritdoc IAdmissionRegistry
    function getRating(uint64 ratingId) external view returns (Rating memory) {
        Rating storage r = _ratings[ratingId];
        if (r.certifier == address(0)) revert AdmissionUnknownRating(ratingId);
        return r;
    }

    /// @inheritdoc IAdmissionRegistry
    function ratingCount() external view returns (uint64) {
        return _count;
    }

    // ==== INTERNAL ====

    function _record(RatingKind kind, uint160 target, uint8 level, uint40 expiry, uint128 value, bytes32 reportHash)
        private
        returns (uint64 ratingId)
    {
        ratingId = ++_count;
        _ratings[ratingId] =
            Rating({kind: kind, revoked: false, level: level, expiry: expiry, certifier: msg.sender, target: target, value: value});
        emit RatingRecorded(ratingId, kind, target, msg.sender, level, expiry, value, reportHash);
        _trace(_key(ratingId), Actions.RATING_RECORDED, keccak256(abi.encode(ratingId, kind, target, msg.sender, level, expiry, value, reportHash)));
    }

    function _levelInForce(uint64 ratingId) private view returns (uint8) {
        if (ratingId == 0) return 0;
        Rating storage r = _ratings[ratingId];
        if (r.revoked || block.timestamp >= r.expiry) return 0;
        return r.level;
    }

    function _checkRating(uint8 level, uint40 expiry, bytes32 reportHash) private view {
        if (reportHash == bytes32(0)) revert AdmissionEmptyHash();
        if (level == 0 || expiry <= block.timestamp) revert AdmissionInvalidRating(level, expiry);
    }

    function _checkProduct(uint64 productId) private view {
        SubjectState memory s = _products.subjectState(productId);
        if (!s.exists) revert AdmissionUnknownProduct(productId);
        // Third-party means third party: a holder does not certify its own product.
        if (s.holder == msg.sender) revert AdmissionConflictOfInterest(msg.sender);
    }

    function _combo(Domain domain, Category category, Grade grade) private pure returns (uint256) {
        return (uint256(domain) << 16) | (uint256(category) << 8) | uint256(grade);
    }

    function _key(uint64 ratingId) private pure returns (bytes32) {
        return SubjectKeys.key(SubjectKind.Rating, ratingId);
    }
}
