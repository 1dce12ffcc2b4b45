// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {SubjectKind} from "../libraries/DataTypes.sol";

/// @title ISupervisedSubjects
/// @notice The subjects a report or dispute may name (member, resource, grant, product, trade, operation
/// authorization, consent), checked to exist; trades through a lookup governance wires once the market exists.
interface ISupervisedSubjects {
    /// @notice Thrown when a subject key names a kind that cannot be reported on or disputed.
    error SupervisionSubjectKindUnsupported(SubjectKind kind);
    /// @notice Thrown when a subject key is malformed or names a subject that does not exist.
    error SupervisionUnknownSubject(bytes32 subject);
    /// @notice Thrown when a trade is named before governance wired the trade lookup.
    error SupervisionTradesNotWired();
    /// @notice Thrown when the trade lookup is set a second time.
    error SupervisionTradeLookupAlreadySet(address current);
    /// @notice Thrown when an address argument is zero.
    error SupervisionZeroAddress();

    /// @notice Emitted once, when governance wires the trade lookup.
    event TradeLookupSet(address indexed lookup, address indexed by);

    /// @notice Wires the market's trade lookup, once. Governance only.
    function setTradeLookup(address lookup) external;

    /// @notice The trade lookup (zero until wired).
    function tradeLookup() external view returns (address);
}
