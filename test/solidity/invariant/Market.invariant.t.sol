// SPDX-License-Identifier: Apache-2.0
/* solhint-disable one-contract-per-file, immutable-vars-naming, no-empty-blocks */
pragma solidity ^0.8.28;

import {CommonBase, Vm} from "../utils/Test.sol";
import {MarketSetup} from "../utils/MarketSetup.sol";
import {IProductRegistry} from "../../../contracts/interfaces/IProductRegistry.sol";
import {IGrantRegistry} from "../../../contracts/interfaces/IGrantRegistry.sol";
import {IAdmissionRegistry} from "../../../contracts/interfaces/IAdmissionRegistry.sol";
import {IMarket} from "../../../contracts/interfaces/IMarket.sol";
import {IResourceRegistry} from "../../../contracts/interfaces/IResourceRegistry.sol";
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
} from "../../../contracts/libraries/DataTypes.sol";

/// @notice The invariant fuzzer's entry points into the market: product registrations over random inputs
/// (resources and products, fan-in 1..4, random shares), listings, purchases, two-step confirmations, and the
/// events that invalidate lineages (revocations, resource freezes, time). Like the grant handler it never reverts:
/// every ledger revert is caught and counted. After a listing succeeds it walks the lineage itself and counts a
/// listed product with an invalid input grant; after a confirmation it sums the trade's EntitlementRecorded
/// amounts from the recorded logs and counts a sum that is not the trade's amount.
contract MarketHandler is CommonBase {
    bytes32 private constant H = keccak256("handler");
    bytes32 private constant ENTITLEMENT = keccak256("EntitlementRecorded(uint64,address,uint8,uint8,uint64,uint128)");

    IProductRegistry public immutable products;
    IGrantRegistry public immutable grants;
    IResourceRegistry public immutable resources;
    IAdmissionRegistry public immutable admission;
    IMarket public immutable market;
    address public immutable certifier;
    address public immutable regulator;

    address[] internal _processors;
    uint64[] internal _resourceIds;
    uint64[] internal _products;
    uint64[] internal _listings;
    uint64[] internal _trades;

    uint256 public ghost_calls;
    uint256 public ghost_registered;
    uint256 public ghost_registerFailed;
    uint256 public ghost_listed;
    uint256 public ghost_listFailed;
    uint256 public ghost_listedWithInvalidInput;
    uint256 public ghost_bought;
    uint256 public ghost_buyFailed;
    uint256 public ghost_confirmed;
    uint256 public ghost_entitlementSumMismatch;
    uint256 public ghost_revoked;
    uint256 public ghost_frozen;

    constructor(
        IProductRegistry products_,
        IGrantRegistry grants_,
        IResourceRegistry resources_,
        IAdmissionRegistry admission_,
        IMarket market_,
        address certifier_,
        address regulator_,
        address[] memory processors,
        uint64[] memory resourceIds
    ) {
        (products, grants, resources, admission, market) = (products_, grants_, resources_, admission_, market_);
        (certifier, regulator) = (certifier_, regulator_);
        _processors = processors;
        _resourceIds = resourceIds;
    }

    // ==== actions ====

    /// @notice A product by a random processor over 1..4 random inputs, each backed by a fresh grant to it.
    function registerProduct(uint256 seed) external {
        ++ghost_calls;
        address registrant = _processors[seed % _processors.length];
        uint256 pool = _resourceIds.length + _products.length;
        uint256 n = 1 + ((seed >> 8) % 4);
        uint256 operatorBps = 500 + ((seed >> 16) % 5000);
        uint256 left = 10_000 - operatorBps;
        // Distinct inputs by construction (a walk over the pool from a random start), never the registrant's own
        // product (nobody is granted its own product).
        ProductInput[] memory inputs = new ProductInput[](n);
        uint256 start = seed >> 24;
        uint256 taken;
        for (uint256 k = 0; k < pool && taken < n; ++k) {
            uint256 pick = (start + k) % pool;
            (SubjectKind kind, uint64 id) = pick < _resourceIds.length
                ? (SubjectKind.Resource, _resourceIds[pick])
                : (SubjectKind.Product, _products[pick - _resourceIds.length]);
            if (kind == SubjectKind.Product && products.getProduct(id).holder == registrant) continue;
            inputs[taken++] = ProductInput({kind: kind, id: id, grantId: _grantTo(registrant, kind, id), shareBps: 0});
        }
        // Shrink to what was found (at least one resource is always found) and spread the shares.
        assembly {
            mstore(inputs, taken)
        }
        for (uint256 i = 0; i < taken; ++i) {
            uint256 share = i == taken - 1 ? left : left / (taken - i);
            left -= share;
            inputs[i].shareBps = uint16(share);
        }
        ProductSpec memory spec = ProductSpec({
            kind: ProductKind.Report,
            delivery: DeliveryMode.Api,
            domain: Domain.PortLogistics,
            environmentHash: H,
            metadataHash: H,
            uri: "ipfs://handler",
            operatorBps: uint16(operatorBps),
            publicBps: 0
        });
        vm.prank(registrant);
        try products.register(spec, inputs) returns (uint64 id) {
            _products.push(id);
            ++ghost_registered;
        } catch {
            ++ghost_registerFailed;
        }
    }

    /// @notice Its holder lists a random product (the certifier qualifies and certifies first).
    function list(uint256 seed, uint128 amount) external {
        ++ghost_calls;
        if (_products.length == 0) return;
        uint64 productId = _products[seed % _products.length];
        address holder = products.getProduct(productId).holder;
        uint40 until = uint40(block.timestamp + 365 days);
        vm.startPrank(certifier);
        try admission.qualifyMember(holder, 1, until, H) {} catch {}
        try admission.certifyProduct(productId, 1, until, H) {} catch {}
        vm.stopPrank();
        ListingTerms memory terms = ListingTerms({purposes: 1, region: 330200, term: 30 days, cap: 0, scenario: 1, termsHash: H});
        PriceFiling memory price =
            PriceFiling({amount: uint128(bound(amount, 1, 1e30)), currency: bytes3("CNY"), method: PricingMethod.PerCall, unit: bytes12("per request")});
        vm.prank(holder);
        try market.list(productId, 0, terms, price) returns (uint64 listingId) {
            _listings.push(listingId);
            ++ghost_listed;
            if (!_lineageValid(productId)) ++ghost_listedWithInvalidInput;
        } catch {
            ++ghost_listFailed;
        }
    }

    /// @notice A random processor buys a random listing.
    function buy(uint256 seed, uint64 quantity) external {
        ++ghost_calls;
        if (_listings.length == 0) return;
        uint64 listingId = _listings[seed % _listings.length];
        address buyer = _processors[(seed >> 8) % _processors.length];
        vm.prank(buyer);
        try market.buy(listingId, uint64(bound(quantity, 1, 1000)), H) returns (uint64 tradeId) {
            _trades.push(tradeId);
            ++ghost_bought;
        } catch {
            ++ghost_buyFailed;
        }
    }

    /// @notice The seller confirms delivery and the buyer receipt of a random open trade; the recorded
    /// entitlements must sum to the trade's amount.
    function confirm(uint256 seed) external {
        ++ghost_calls;
        if (_trades.length == 0) return;
        uint64 tradeId = _trades[seed % _trades.length];
        IMarket.Trade memory t = market.getTrade(tradeId);
        address seller = market.getListing(t.listingId).seller;
        vm.prank(seller);
        try market.confirmDelivery(tradeId, H) {} catch {}
        vm.getRecordedLogs();
        vm.prank(t.buyer);
        try market.confirmReceipt(tradeId) {
            ++ghost_confirmed;
            Vm.Log[] memory logs = vm.getRecordedLogs();
            uint256 sum;
            for (uint256 i = 0; i < logs.length; ++i) {
                if (logs[i].emitter != address(market) || logs[i].topics[0] != ENTITLEMENT) continue;
                if (uint64(uint256(logs[i].topics[1])) != tradeId) continue;
                (,,, uint128 amount) = abi.decode(logs[i].data, (uint8, uint8, uint64, uint128));
                sum += amount;
            }
            if (sum != t.amount) ++ghost_entitlementSumMismatch;
        } catch {}
    }

    /// @notice A regulator revokes a random grant (which invalidates what hangs from it).
    function revoke(uint256 seed) external {
        ++ghost_calls;
        uint64 n = grants.grantCount();
        if (n == 0) return;
        vm.prank(regulator);
        try grants.revoke(uint64(1 + (seed % n)), H) {
            ++ghost_revoked;
        } catch {}
    }

    /// @notice A regulator freezes or unfreezes a random resource.
    function toggleFreeze(uint256 seed) external {
        ++ghost_calls;
        uint64 id = _resourceIds[seed % _resourceIds.length];
        vm.prank(regulator);
        if (resources.getResource(id).frozen) {
            try resources.unfreeze(id, H) {} catch {}
        } else {
            try resources.freeze(id, H) {
                ++ghost_frozen;
            } catch {}
        }
    }

    /// @notice Time passes (grants expire after a year, listings' licences after 30 days).
    function warp(uint256 secs) external {
        ++ghost_calls;
        vm.warp(block.timestamp + bound(secs, 1 hours, 60 days));
    }

    function productCount() external view returns (uint256) {
        return _products.length;
    }

    // ==== internal ====

    function _grantTo(address registrant, SubjectKind kind, uint64 id) private returns (uint64) {
        address holder = kind == SubjectKind.Resource ? resources.getResource(id).holder : products.getProduct(id).holder;
        uint40 nowTs = uint40(block.timestamp);
        Scope memory s = Scope({
            purposes: 1, region: 0, validFrom: nowTs, validUntil: nowTs + 365 days, exclusive: false, maySubGrant: false, depth: 0, cap: 0
        });
        vm.prank(holder);
        try grants.grant(RightType.ProcessingUse, kind, id, registrant, s, H, 0) returns (uint64 g) {
            return g;
        } catch {
            return 0; // the registration then fails on this input, which is counted
        }
    }

    /// @dev The model walk: every input grant along the lineage is valid now.
    function _lineageValid(uint64 productId) private view returns (bool) {
        (, ProductInput[] memory inputs) = products.lineageNode(productId);
        for (uint256 i = 0; i < inputs.length; ++i) {
            if (!grants.isGrantValid(inputs[i].grantId)) return false;
            if (inputs[i].kind == SubjectKind.Product && !_lineageValid(inputs[i].id)) return false;
        }
        return true;
    }
}

/// @notice Market invariants: lineage is acyclic with consistent depth and edge counts; a confirmed trade's
/// entitlements sum to its amount; no product is listed with an invalid input grant along its lineage.
contract MarketInvariantTest is MarketSetup {
    MarketHandler internal handler;

    function setUp() public override {
        super.setUp();
        uint64[] memory rids = new uint64[](4);
        rids[0] = resourceId;
        rids[1] = _registerResource(HOLDER2);
        rids[2] = _registerResource(HOLDER);
        rids[3] = _registerResource(HOLDER2);
        address[] memory processors = new address[](3);
        (processors[0], processors[1], processors[2]) = (PROC1, PROC2, PROC3);
        handler = new MarketHandler(products, grants, resources, admission, market, CERTIFIER, REGULATOR, processors, rids);
        targetContract(address(handler));
    }

    /// @notice Inputs exist before the product that uses them (so the lineage is acyclic), the depth is one more
    /// than the deepest input's, and the edge count is the inputs plus their edge counts, within the bound.
    /// forge-config: default.invariant.fail-on-revert = true
    /// forge-config: deep.invariant.fail-on-revert = true
    function invariant_lineageAcyclicAndBounded() public view {
        uint64 n = products.productCount();
        for (uint64 id = 1; id <= n; ++id) {
            (IProductRegistry.Product memory p, ProductInput[] memory inputs) = products.lineageNode(id);
            uint256 depth;
            uint256 edges = inputs.length;
            for (uint256 i = 0; i < inputs.length; ++i) {
                if (inputs[i].kind != SubjectKind.Product) continue;
                assertLe(inputs[i].id, id - 1, "a product input registered before the product");
                IProductRegistry.Product memory q = products.getProduct(inputs[i].id);
                if (q.depth > depth) depth = q.depth;
                edges += q.lineageEdges;
            }
            assertEq(p.depth, depth + 1, "depth is one more than the deepest input's");
            assertEq(p.lineageEdges, edges, "edges are the inputs plus their edges");
            assertLe(edges, 64, "within the edge bound");
            assertLe(p.depth, 6, "within the depth bound");
        }
        assertEq(n, handler.ghost_registered(), "product count = successful registrations");
    }

    /// @notice Every confirmed trade's entitlements sum to its amount exactly.
    /// forge-config: default.invariant.fail-on-revert = true
    /// forge-config: deep.invariant.fail-on-revert = true
    function invariant_entitlementsSumToAmount() public view {
        assertEq(handler.ghost_entitlementSumMismatch(), 0, "a confirmed trade's entitlements do not sum to its amount");
    }

    /// @dev After each run of 16 calls or more (shorter ones are the shrinker's): products were registered, so
    /// the invariants did not check an empty market.
    function afterInvariant() public view {
        if (handler.ghost_calls() < 16) return;
        assertGt(handler.ghost_registered(), 0, "no product registered in a run");
    }

    /// @notice No product was listed while an input grant along its lineage was invalid.
    /// forge-config: default.invariant.fail-on-revert = true
    /// forge-config: deep.invariant.fail-on-revert = true
    function invariant_noListingWithInvalidInput() public view {
        assertEq(handler.ghost_listedWithInvalidInput(), 0, "a product was listed with an invalid input grant");
    }
}
