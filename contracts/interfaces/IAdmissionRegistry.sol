// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {Category, Domain, Grade, RatingKind} from "../libraries/DataTypes.sol";

/// @title IAdmissionRegistry
/// @notice Market admission (准入): governance's negative list (负面清单: prohibited combinations of domain, category,
/// grade and purpose) and positive list (正面清单: encouraged scenarios), the certification level each input grade
/// requires, the members marked as government departments, and third-party ratings (第三方认证评级): product
/// certifications, member qualifications, product quality and valuation assessments.
interface IAdmissionRegistry {
    /// @notice A rating as stored. `target` is a product id, or a member's address for a qualification.
    struct Rating {
        RatingKind kind;
        bool revoked;
        uint8 level;
        uint40 expiry;
        address certifier;
        uint160 target;
        uint128 value;
    }

    /// @notice Thrown when a report, description or reason hash is zero.
    error AdmissionEmptyHash();
    /// @notice Thrown when a negative-list entry names core data (which never circulates anyway) or no change.
    error AdmissionInvalidEntry();
    /// @notice Thrown when a rating's level is zero, or its expiry has passed.
    error AdmissionInvalidRating(uint8 level, uint40 expiry);
    /// @notice Thrown when a certifier rates its own product or itself.
    error AdmissionConflictOfInterest(address certifier);
    /// @notice Thrown when the rated product does not exist.
    error AdmissionUnknownProduct(uint64 productId);
    /// @notice Thrown when the rated account is not an active member.
    error AdmissionNotMember(address account);
    /// @notice Thrown when `ratingId` was never recorded.
    error AdmissionUnknownRating(uint64 ratingId);
    /// @notice Thrown when the rating is already revoked.
    error AdmissionRatingRevoked(uint64 ratingId);
    /// @notice Thrown when `account` may not revoke the rating (neither its certifier nor a regulator).
    error AdmissionNotRevoker(uint64 ratingId, address account);
    /// @notice Thrown when an assessment kind is used for a certification or qualification, or the reverse.
    error AdmissionWrongKind(RatingKind kind);

    /// @notice Emitted when governance sets the purposes prohibited for a (domain, category, grade); 0 clears.
    event NegativeEntrySet(Domain indexed domain, Category indexed category, Grade indexed grade, uint32 purposes, bytes32 reasonHash, address by);
    /// @notice Emitted when governance adds or removes an encouraged scenario.
    event PositiveEntrySet(uint32 indexed scenario, bool listed, bytes32 descriptionHash, address indexed by);
    /// @notice Emitted when governance sets the certification level products over data of `grade` need.
    event RequiredLevelSet(Grade indexed grade, uint8 level, address indexed by);
    /// @notice Emitted when governance marks or unmarks a member as a government department (政府部门).
    event GovernmentDepartmentSet(address indexed account, bool marked, address indexed by);
    /// @notice Emitted when a certifier records a rating.
    event RatingRecorded(
        uint64 indexed ratingId, RatingKind indexed kind, uint160 indexed target, address certifier, uint8 level, uint40 expiry, uint128 value, bytes32 reportHash
    );
    /// @notice Emitted when a rating is revoked by its certifier or a regulator.
    event RatingRevoked(uint64 indexed ratingId, address indexed by, bytes32 reasonHash);

    /// @notice Sets the purposes prohibited for data of (`domain`, `category`, `grade`); 0 removes the entry.
    /// Governance only.
    function setNegativeEntry(Domain domain, Category category, Grade grade, uint32 purposes, bytes32 reasonHash) external;

    /// @notice Adds (`listed`) or removes an encouraged scenario. Governance only.
    function setPositiveEntry(uint32 scenario, bool listed, bytes32 descriptionHash) external;

    /// @notice Sets the certification level a product needs when its lineage holds data of `grade`. Governance only.
    function setRequiredLevel(Grade grade, uint8 level) external;

    /// @notice Marks (`marked`) or unmarks a member as a government department, licensed by procurements.
    /// Governance only.
    function setGovernmentDepartment(address account, bool marked) external;

    /// @notice Certifies product `productId` at `level` until `expiry`. Certifier only, never the product's holder.
    /// @return ratingId the new rating's id.
    function certifyProduct(uint64 productId, uint8 level, uint40 expiry, bytes32 reportHash) external returns (uint64 ratingId);

    /// @notice Rates member `account`'s qualification as an operator at `level` until `expiry`. Certifier only.
    /// @return ratingId the new rating's id.
    function qualifyMember(address account, uint8 level, uint40 expiry, bytes32 reportHash) external returns (uint64 ratingId);

    /// @notice Records a quality (score) or valuation (amount) assessment of a product. Certifier only.
    /// @return ratingId the new rating's id.
    function assessProduct(uint64 productId, RatingKind kind, uint128 value, bytes32 reportHash) external returns (uint64 ratingId);

    /// @notice Revokes a rating. By its certifier or a regulator.
    function revokeRating(uint64 ratingId, bytes32 reasonHash) external;

    /// @notice The purposes prohibited for data of (`domain`, `category`, `grade`).
    function prohibitedPurposes(Domain domain, Category category, Grade grade) external view returns (uint32);

    /// @notice Whether `scenario` is on the positive list.
    function isEncouraged(uint32 scenario) external view returns (bool);

    /// @notice The certification level products over data of `grade` need.
    function requiredLevel(Grade grade) external view returns (uint8);

    /// @notice Whether `account` is marked as a government department.
    function isGovernmentDepartment(address account) external view returns (bool);

    /// @notice The level of product `productId`'s current certification, 0 when none is in force.
    function certificationLevel(uint64 productId) external view returns (uint8 level, uint64 ratingId);

    /// @notice The level of `account`'s current qualification, 0 when none is in force.
    function qualificationLevel(address account) external view returns (uint8 level, uint64 ratingId);

    /// @notice A rating.
    function getRating(uint64 ratingId) external view returns (Rating memory);

    /// @notice The number of ratings recorded so far.
    function ratingCount() external view returns (uint64);
}
