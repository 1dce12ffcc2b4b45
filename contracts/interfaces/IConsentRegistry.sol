// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/// @title IConsentRegistry
/// @notice Personal-information consent (个人信息授权): the holder of a personal-category resource records a
/// commitment to the consent evidence (e.g. a Merkle root of the data subjects' consents), its purposes, the number of
/// data subjects and an expiry. Consent is withdrawn in part (purposes) or whole, by the holder or by a regulator
/// acting on a data subject's complaint; what depends on it is invalid from then on.
interface IConsentRegistry {
    /// @notice The stored state of a consent record.
    struct Consent {
        uint64 resourceId;
        uint32 purposes;
        uint40 expiry;
        uint32 subjects;
    }

    /// @notice Thrown when `consentId` was never recorded.
    error ConsentUnknown(uint64 consentId);
    /// @notice Thrown when the resource is not a registered personal-category resource.
    error ConsentNotPersonalResource(uint64 resourceId);
    /// @notice Thrown when the caller does not hold the resource.
    error ConsentNotHolder(uint64 resourceId, address account);
    /// @notice Thrown when the commitment or a reason hash is zero.
    error ConsentEmptyHash();
    /// @notice Thrown when the purposes are empty, or a withdrawal names purposes the consent does not have.
    error ConsentInvalidPurposes(uint32 purposes);
    /// @notice Thrown when the expiry is not in the future or the subject count is zero.
    error ConsentInvalidTerms(uint40 expiry, uint32 subjects);
    /// @notice Thrown when `account` may not withdraw (neither the resource's holder nor a regulator).
    error ConsentNotWithdrawer(uint64 consentId, address account);

    /// @notice Emitted when consent is recorded; it becomes the resource's current consent.
    event ConsentRecorded(uint64 indexed consentId, uint64 indexed resourceId, address indexed holder, bytes32 commitment, uint32 purposes, uint32 subjects, uint40 expiry);
    /// @notice Emitted when purposes are withdrawn (all of them: the whole consent).
    event ConsentWithdrawn(uint64 indexed consentId, address indexed by, uint32 withdrawn, uint32 remaining, bytes32 reasonHash);

    /// @notice Records consent for personal resource `resourceId`. Its holder only.
    /// @return consentId the new record's id.
    function record(uint64 resourceId, bytes32 commitment, uint32 purposes, uint32 subjects, uint40 expiry) external returns (uint64 consentId);

    /// @notice Withdraws `purposes` from consent `consentId` (all its purposes: withdrawn whole). Holder or regulator.
    function withdraw(uint64 consentId, uint32 purposes, bytes32 reasonHash) external;

    /// @notice The current (newest) consent of a resource (0 when none).
    function currentConsent(uint64 resourceId) external view returns (uint64);

    /// @notice Whether consent `consentId` is live now and covers every purpose in `purposes`.
    function covers(uint64 consentId, uint32 purposes) external view returns (bool);

    /// @notice The stored state of a consent record.
    function getConsent(uint64 consentId) external view returns (Consent memory);
}
