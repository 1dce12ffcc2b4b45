// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {LedgerSetup} from "./LedgerSetup.sol";
import {ProductRegistry} from "../../../contracts/registries/ProductRegistry.sol";
import {AdmissionRegistry} from "../../../contracts/market/AdmissionRegistry.sol";
import {Market} from "../../../contracts/market/Market.sol";
import {IProductRegistry} from "../../../contracts/interfaces/IProductRegistry.sol";
import {IAdmissionRegistry} from "../../../contracts/interfaces/IAdmissionRegistry.sol";
import {IMarket} from "../../../contracts/interfaces/IMarket.sol";
import {Roles} from "../../../contracts/libraries/Roles.sol";
import {SubjectKind} from "../../../contracts/libraries/DataTypes.sol";

/// @notice The ledger of {LedgerSetup} plus products, admission and the market, wired as a deployment wires them
/// (the test contract is governance and the public beneficiary), and a certifier.
abstract contract MarketSetup is LedgerSetup {
    address internal constant CERTIFIER = address(0x5001);

    IProductRegistry internal products;
    IAdmissionRegistry internal admission;
    IMarket internal market;

    function _wireRegistries() internal virtual override {
        super._wireRegistries();
        products = IProductRegistry(address(new ProductRegistry(members, resources, grants)));
        admission = IAdmissionRegistry(address(new AdmissionRegistry(members, products)));
        market = IMarket(address(new Market(members, products, grants, resources, admission)));
        grants.setSubjectRegistry(SubjectKind.Product, address(products));
        grants.setMarket(address(market));
        market.setPublicBeneficiary(gov);
    }

    function setUp() public virtual override {
        super.setUp();
        _admit(CERTIFIER, Roles.CERTIFIER);
    }
}
