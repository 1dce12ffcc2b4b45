// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/// @title ITraceable
/// @notice Every ledger contract keeps a tamper-evident trace per subject it writes (see {TraceLib}).
interface ITraceable {
    /// @notice Emitted once per subject touched by a write, right after the domain event it commits to.
    /// @param subject the subject key (see {SubjectKeys}).
    /// @param seq the entry's sequence number, starting at 1.
    /// @param action the action code (see {Actions}).
    /// @param actor the account that made the write.
    /// @param payloadHash keccak256 of the ABI encoding of the domain event's arguments.
    /// @param word the subject's new trace word (sequence and head).
    event TraceRecorded(
        bytes32 indexed subject, uint64 indexed seq, uint16 indexed action, address actor, bytes32 payloadHash, bytes32 word
    );

    /// @notice The current trace word of `subject` (zero when it has no entry).
    function traceWord(bytes32 subject) external view returns (bytes32);

    /// @notice The storage slot of `subject`'s trace word, for EIP-1186 proofs.
    function traceSlot(bytes32 subject) external pure returns (bytes32);
}
