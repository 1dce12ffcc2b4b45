// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ITraceable} from "../interfaces/ITraceable.sol";
import {TraceLib} from "../libraries/TraceLib.sol";
import {SubjectKeys} from "../libraries/SubjectKeys.sol";
import {SubjectKind} from "../libraries/DataTypes.sol";

/// @title Traceable
/// @notice Keeps one trace word per subject in ERC-7201 namespaced storage, at the same slot formula in every
/// ledger contract, so that an evidence verifier computes the slot without knowing the contract's layout.
abstract contract Traceable is ITraceable {
    /// @custom:storage-location erc7201:drl.storage.Trace
    struct TraceStorage {
        mapping(bytes32 subject => bytes32 word) words;
    }

    // keccak256(abi.encode(uint256(keccak256("drl.storage.Trace")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant _TRACE_STORAGE = 0xe96dd205d7888bd424e900692eb267c506948d4440757f1924ac0fe595b11800;

    /// @inheritdoc ITraceable
    function traceWord(bytes32 subject) external view returns (bytes32) {
        return _traceStorage().words[subject];
    }

    /// @inheritdoc ITraceable
    function traceSlot(bytes32 subject) external pure returns (bytes32) {
        return keccak256(abi.encode(subject, _TRACE_STORAGE));
    }

    /// @dev Appends an entry to `subject`'s trace, made by `msg.sender`, and emits it.
    function _trace(bytes32 subject, uint16 action, bytes32 payloadHash) internal {
        _traceAs(msg.sender, subject, action, payloadHash);
    }

    /// @dev Appends an entry made by `actor`, for writes that reach this contract through another ledger contract.
    function _traceAs(address actor, bytes32 subject, uint16 action, bytes32 payloadHash) internal {
        TraceStorage storage $ = _traceStorage();
        bytes32 word = TraceLib.next($.words[subject], subject, action, actor, payloadHash, uint64(block.number));
        $.words[subject] = word;
        emit TraceRecorded(subject, TraceLib.seqOf(word), action, actor, payloadHash, word);
    }

    /// @dev The subject key under which this contract traces its own configuration changes.
    function _ledgerSubject() internal view returns (bytes32) {
        return SubjectKeys.key(SubjectKind.Ledger, uint160(address(this)));
    }

    function _traceStorage() private pure returns (TraceStorage storage $) {
        // solhint-disable-next-line no-inline-assembly
        assembly {
            $.slot := _TRACE_STORAGE
        }
    }
}
