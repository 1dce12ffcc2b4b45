// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {Vm} from "./utils/Test.sol";
import {MarketSetup} from "./utils/MarketSetup.sol";
import {IProductRegistry} from "../../contracts/interfaces/IProductRegistry.sol";
import {
    DeliveryMode,
    Domain,
    ListingTerms,
    PriceFiling,
    PricingMethod,
    ProductInput,
    ProductKind,
    ProductSpec,
    RightType,
    Scope,
    SubjectKind
} from "../../contracts/libraries/DataTypes.sol";

/// @notice Fuzz tests of the revenue split through the real contracts: a two-level lineage with random shares and
/// amounts; every entitlement equals the model's (floor of its share at each product, the remainder to that
/// product's operator) and they sum to the amount exactly.
contract MarketFuzzTest is MarketSetup {
    bytes32 internal constant ENTITLEMENT = keccak256("EntitlementRecorded(uint64,address,uint8,uint8,uint64,uint128)");


    function _leaf() private view returns (Scope memory) {
        uint40 nowTs = uint40(block.timestamp);
        return _scope(1, 0, nowTs, nowTs + 365 days, false, false, 0, 0);
    }

    function _grant(address from, address to, SubjectKind kind, uint64 id) private returns (uint64) {
        vm.prank(from);
        return grants.grant(RightType.ProcessingUse, kind, id, to, _leaf(), TERMS, 0);
    }

    function _spec(uint256 operatorBps) private pure returns (ProductSpec memory) {
        return ProductSpec({
            kind: ProductKind.Report,
            delivery: DeliveryMode.Api,
            domain: Domain.Other,
            environmentHash: TERMS,
            metadataHash: TERMS,
            uri: "ipfs://fuzz",
            operatorBps: uint16(operatorBps),
            publicBps: 0
        });
    }

    struct Shares {
        uint16 a;
        uint16 b;
        uint16 c;
        uint16 d;
    }

    /// @notice P1 = {R1: a, R2: b, operator PROC1: rest}; P2 = {P1: c, R3: d, operator PROC2: rest}; PROC3 buys P2.
    function testFuzz_splitMatchesModelAndSumsToAmount(uint16 a, uint16 b, uint16 c, uint16 d, uint128 unitPrice, uint64 quantity) public {
        Shares memory s;
        s.a = uint16(bound(a, 0, 10_000));
        s.b = uint16(bound(b, 0, 10_000 - s.a));
        s.c = uint16(bound(c, 0, 10_000));
        s.d = uint16(bound(d, 0, 10_000 - s.c));
        unitPrice = uint128(bound(unitPrice, 1, type(uint96).max));
        quantity = uint64(bound(quantity, 1, 1_000_000));
        uint64 p2 = _lineage(s);
        uint64 tradeId = _trade(p2, unitPrice, quantity);
        _check(s, uint256(unitPrice) * quantity, tradeId);
    }

    function _lineage(Shares memory s) private returns (uint64 p2) {
        uint64 r2 = _registerResource(HOLDER2);
        uint64 r3 = _registerResource(HOLDER2);
        ProductInput[] memory in1 = new ProductInput[](2);
        in1[0] = ProductInput({kind: SubjectKind.Resource, id: resourceId, grantId: _grant(HOLDER, PROC1, SubjectKind.Resource, resourceId), shareBps: s.a});
        in1[1] = ProductInput({kind: SubjectKind.Resource, id: r2, grantId: _grant(HOLDER2, PROC1, SubjectKind.Resource, r2), shareBps: s.b});
        vm.prank(PROC1);
        uint64 p1 = products.register(_spec(10_000 - s.a - s.b), in1);
        ProductInput[] memory in2 = new ProductInput[](2);
        in2[0] = ProductInput({kind: SubjectKind.Product, id: p1, grantId: _grant(PROC1, PROC2, SubjectKind.Product, p1), shareBps: s.c});
        in2[1] = ProductInput({kind: SubjectKind.Resource, id: r3, grantId: _grant(HOLDER2, PROC2, SubjectKind.Resource, r3), shareBps: s.d});
        vm.prank(PROC2);
        p2 = products.register(_spec(10_000 - s.c - s.d), in2);
    }

    function _trade(uint64 p2, uint128 unitPrice, uint64 quantity) private returns (uint64 tradeId) {
        uint40 until = uint40(block.timestamp + 365 days);
        vm.startPrank(CERTIFIER);
        admission.qualifyMember(PROC2, 1, until, TERMS);
        admission.certifyProduct(p2, 1, until, TERMS);
        vm.stopPrank();
        ListingTerms memory terms = ListingTerms({purposes: 1, region: 0, term: 30 days, cap: 0, scenario: 1, termsHash: TERMS});
        PriceFiling memory price =
            PriceFiling({amount: unitPrice, currency: bytes3("CNY"), method: PricingMethod.PerUnit, unit: bytes12("per record")});
        vm.prank(PROC2);
        uint64 listingId = market.list(p2, 0, terms, price);
        vm.prank(PROC3);
        tradeId = market.buy(listingId, quantity, TERMS);
        vm.prank(PROC2);
        market.confirmDelivery(tradeId, TERMS);
        vm.getRecordedLogs();
        vm.prank(PROC3);
        market.confirmReceipt(tradeId);
    }

    function _check(Shares memory s, uint256 amount, uint64 tradeId) private {
        // The model: floors at each product, remainders to each product's operator.
        uint256 toP1 = (amount * s.c) / 10_000;
        uint256 toR3 = (amount * s.d) / 10_000;
        uint256 toR1 = (toP1 * s.a) / 10_000;
        uint256 toR2 = (toP1 * s.b) / 10_000;
        // HOLDER holds R1; HOLDER2 holds R2 and R3.
        (uint256 holder, uint256 holder2, uint256 proc1, uint256 proc2, uint256 sum) = _sums(tradeId);
        assertEq(holder, toR1, "R1's holder");
        assertEq(holder2, toR2 + toR3, "R2's and R3's holder");
        assertEq(proc1, toP1 - toR1 - toR2, "P1's operator: its share and remainder");
        assertEq(proc2, amount - toP1 - toR3, "P2's operator: its share and remainder");
        assertEq(sum, amount, "entitlements sum to the amount");
        assertEq(market.owed(PROC2, bytes3("CNY")), amount - toP1 - toR3, "owed");
    }

    function _sums(uint64 tradeId) private returns (uint256 holder, uint256 holder2, uint256 proc1, uint256 proc2, uint256 sum) {
        Vm.Log[] memory logs = vm.getRecordedLogs();
        for (uint256 i = 0; i < logs.length; ++i) {
            if (logs[i].emitter != address(market) || logs[i].topics[0] != ENTITLEMENT) continue;
            if (uint64(uint256(logs[i].topics[1])) != tradeId) continue;
            address party = address(uint160(uint256(logs[i].topics[2])));
            (,,, uint128 amount) = abi.decode(logs[i].data, (uint8, uint8, uint64, uint128));
            sum += amount;
            if (party == HOLDER) holder += amount;
            else if (party == HOLDER2) holder2 += amount;
            else if (party == PROC1) proc1 += amount;
            else if (party == PROC2) proc2 += amount;
        }
    }

    /// @notice Any fan-in beyond the bound, and any product input not registered yet, is refused; so the lineage
    /// stays a bounded DAG.
    function testFuzz_registrationBounds(uint8 fanIn, uint64 missingProduct) public {
        fanIn = uint8(bound(fanIn, 5, 12));
        ProductInput[] memory inputs = new ProductInput[](fanIn);
        vm.prank(PROC1);
        vm.expectPartialRevert(IProductRegistry.ProductInvalidInputCount.selector);
        products.register(_spec(10_000), inputs);

        missingProduct = uint64(bound(missingProduct, 1, type(uint48).max));
        ProductInput[] memory one = new ProductInput[](1);
        one[0] = ProductInput({kind: SubjectKind.Product, id: missingProduct, grantId: 1, shareBps: 5000});
        vm.prank(PROC1);
        vm.expectRevert();
        products.register(_spec(5000), one);
    }
}
