// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {LedgerSetup} from "./LedgerSetup.sol";
import {OperationRegistry} from "../../../contracts/registries/OperationRegistry.sol";
import {ConsentRegistry} from "../../../contracts/registries/ConsentRegistry.sol";
import {ProductRegistry} from "../../../contracts/registries/ProductRegistry.sol";
import {ReportRegistry} from "../../../contracts/supervision/ReportRegistry.sol";
import {DisputeRegistry} from "../../../contracts/supervision/DisputeRegistry.sol";
import {Sanctions} from "../../../contracts/supervision/Sanctions.sol";
import {SevereActions} from "../../../contracts/supervision/SevereActions.sol";
import {IReportRegistry} from "../../../contracts/interfaces/IReportRegistry.sol";
import {IDisputeRegistry} from "../../../contracts/interfaces/IDisputeRegistry.sol";
import {ISanctions} from "../../../contracts/interfaces/ISanctions.sol";
import {ISevereActions} from "../../../contracts/interfaces/ISevereActions.sol";
import {IOperationRegistry} from "../../../contracts/interfaces/IOperationRegistry.sol";
import {IConsentRegistry} from "../../../contracts/interfaces/IConsentRegistry.sol";
import {IProductRegistry} from "../../../contracts/interfaces/IProductRegistry.sol";
import {ISubjectRegistry} from "../../../contracts/interfaces/ISubjectRegistry.sol";
import {Roles} from "../../../contracts/libraries/Roles.sol";
import {LedgerRegistries} from "../../../contracts/libraries/SupervisionTypes.sol";

/// @notice The ledger of {LedgerSetup} plus the supervision contracts, wired as a deployment wires them: each acting
/// contract admitted as a regulator member, SevereActions the severe executor. Adds two arbiters.
abstract contract SupervisionSetup is LedgerSetup {
    uint40 internal constant APPEAL_WINDOW = 3 days;
    address internal constant ARBITER1 = address(0x5001);
    address internal constant ARBITER2 = address(0x5002);

    IReportRegistry internal reports;
    IDisputeRegistry internal disputes;
    ISanctions internal sanctions;
    ISevereActions internal severe;

    function setUp() public virtual override {
        super.setUp();
        OperationRegistry ops = new OperationRegistry(members, ISubjectRegistry(address(resources)));
        ConsentRegistry cons = new ConsentRegistry(members, ISubjectRegistry(address(resources)));
        ProductRegistry prods = new ProductRegistry(members, resources, grants);
        LedgerRegistries memory regs = LedgerRegistries(
            resources, grants, IProductRegistry(address(prods)), IOperationRegistry(address(ops)), IConsentRegistry(address(cons))
        );
        reports = IReportRegistry(address(new ReportRegistry(members, regs)));
        severe = ISevereActions(address(new SevereActions(members, resources, IOperationRegistry(address(ops)), reports)));
        disputes = IDisputeRegistry(address(new DisputeRegistry(members, regs, severe, APPEAL_WINDOW)));
        severe.setDisputeRegistry(address(disputes));
        sanctions = ISanctions(address(new Sanctions(members, regs, reports, disputes)));
        reports.setSanctions(address(sanctions));
        _admit(address(disputes), Roles.REGULATOR);
        _admit(address(sanctions), Roles.REGULATOR);
        _admit(address(severe), Roles.REGULATOR);
        members.setSevereExecutor(address(severe));
        _admit(ARBITER1, Roles.ARBITER);
        _admit(ARBITER2, Roles.ARBITER);
    }
}
