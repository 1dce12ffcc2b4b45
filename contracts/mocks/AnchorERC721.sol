// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";

/// @title AnchorERC721
/// @notice Test-only: a plain OpenZeppelin ERC-721 whose mint is the gas report's first anchor. Never deployed.
contract AnchorERC721 is ERC721 {
    constructor() ERC721("Anchor", "ANC") {}

    /// @notice Mints `tokenId` to `to`.
    function mint(address to, uint256 tokenId) external {
        _mint(to, tokenId);
    }
}
