// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/// @title TraceLib
/// @notice The one definition of a trace entry. Each subject has a 32-byte trace word in contract storage:
/// the sequence number in the top 64 bits and the low 192 bits of the running digest below it. Appending
/// an entry folds the previous word with the entry:
///
///   digest' = keccak256(abi.encode(word, subject, seq', action, actor, payloadHash, blockNumber))
///   word'   = (seq' << 192) | (uint256(digest') & (2^192 - 1)),   seq' = seq + 1
///
/// One storage slot proves both head and sequence (EIP-1186), so a verifier can show a bundle is complete.
/// `payloadHash` is keccak256 of the ABI encoding of the domain event's arguments, in declaration order.
library TraceLib {
    uint256 private constant _DIGEST_MASK = (uint256(1) << 192) - 1;

    /// @notice The sequence number held in a trace word.
    function seqOf(bytes32 word) internal pure returns (uint64) {
        return uint64(uint256(word) >> 192);
    }

    /// @notice The word after appending one entry to `word`.
    function next(
        bytes32 word,
        bytes32 subject,
        uint16 action,
        address actor,
        bytes32 payloadHash,
        uint64 blockNumber
    ) internal pure returns (bytes32) {
        // A subject cannot receive 2^64 entries: each costs gas, so the increment cannot overflow.
        uint64 seq;
        unchecked {
            seq = seqOf(word) + 1;
        }
        bytes32 digest = keccak256(abi.encode(word, subject, seq, action, actor, payloadHash, blockNumber));
        return bytes32((uint256(seq) << 192) | (uint256(digest) & _DIGEST_MASK));
    }
}
