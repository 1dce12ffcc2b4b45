// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ITradeLookup} from "./ITradeLookup.sol";
import {
    Category,
    Domain,
    EntitlementRole,
    Grade,
    Invalidity,
    ListingStatus,
    ListingTerms,
    PriceFiling,
    PriceStatus,
    SubjectKind,
    TradeStatus
} from "../libraries/DataTypes.sol";

/// @title IMarket
/// @notice Listings with price filings (价格备案) and price approval (定价管理), trades that license the buyer,
/// two-party delivery receipt, revenue entitlements along the lineage, and government procurement (政府集中采购).
/// Money settles off-chain: the ledger records who is owed what.
interface IMarket is ITradeLookup {
    /// @notice A listing as stored.
    struct Listing {
        address seller;
        uint64 productId;
        ListingStatus status;
        PriceStatus priceStatus;
        PriceFiling price;
        ListingTerms terms;
        uint64 authorityGrantId;
    }

    /// @notice A trade as stored. The seller and currency are the listing's.
    struct Trade {
        address buyer;
        uint64 listingId;
        TradeStatus status;
        bool procurement;
        uint128 amount;
        uint64 grantId;
        uint64 productId;
    }

    /// @notice What a trade records beyond its stored state: the seller, the quantity bought, the listing's currency,
    /// and the reference of the off-chain settlement.
    struct TradeOpening {
        address seller;
        uint64 quantity;
        bytes3 currency;
        bytes32 settlementRef;
    }

    /// @notice Thrown when `listingId` was never created.
    error MarketUnknownListing(uint64 listingId);
    /// @notice Thrown when `tradeId` was never opened.
    error MarketUnknownTrade(uint64 tradeId);
    /// @notice Thrown when a hash is zero.
    error MarketEmptyHash();
    /// @notice Thrown when an address argument is zero.
    error MarketZeroAddress();
    /// @notice Thrown when listing terms name no purpose or no term.
    error MarketInvalidTerms();
    /// @notice Thrown when a price filing has a zero amount or no currency.
    error MarketInvalidPrice();
    /// @notice Thrown when listing without an operation grant by someone who does not hold the product.
    error MarketNotProductHolder(uint64 productId, address account);
    /// @notice Thrown when the product is frozen or cancelled.
    error MarketProductNotTradable(uint64 productId, bool frozen, bool cancelled);
    /// @notice Thrown when an input grant along the lineage is not valid; names the product whose input it is, the
    /// grant, and the first cause found walking up that grant's chain.
    error MarketLineageInvalid(uint64 productId, uint64 grantId, Invalidity reason, uint64 atGrant);
    /// @notice Thrown when a resource along the lineage is on the negative list for the listed purposes.
    error MarketNegativeList(uint64 resourceId, Domain domain, Category category, Grade grade, uint32 purposes);
    /// @notice Thrown when the product's certification in force is below the level its lineage needs.
    error MarketCertificationTooLow(uint64 productId, uint8 level, uint8 required);
    /// @notice Thrown when the seller has no qualification rating in force.
    error MarketSellerNotQualified(address seller);
    /// @notice Thrown when a product with public inputs is listed before governance named the public beneficiary.
    error MarketPublicBeneficiaryUnset();
    /// @notice Thrown when the caller is not the listing's seller (or, where allowed, a regulator).
    error MarketNotSeller(uint64 listingId, address account);
    /// @notice Thrown when the listing is delisted.
    error MarketListingNotActive(uint64 listingId);
    /// @notice Thrown when approving or rejecting a price that is not pending.
    error MarketPriceNotPending(uint64 listingId, PriceStatus status);
    /// @notice Thrown when trading at a price that needs approval and does not have it.
    error MarketPriceNotApproved(uint64 listingId, PriceStatus status);
    /// @notice Thrown when the seller buys its own listing.
    error MarketSelfTrade(address account);
    /// @notice Thrown when a zero quantity is asked, or the amount overflows 128 bits.
    error MarketInvalidQuantity(uint64 quantity);
    /// @notice Thrown when a procured product is procured again, or bought by a government department it licenses.
    error MarketAlreadyProcured(uint64 productId, uint64 tradeId);
    /// @notice Thrown when a procurement is made by neither governance nor its procurement agent.
    error MarketNotProcurementAgent(address account);
    /// @notice Thrown when a trade is not in the status the step needs.
    error MarketTradeStatus(uint64 tradeId, TradeStatus status);
    /// @notice Thrown when the caller is not the party of the trade the step belongs to.
    error MarketNotParty(uint64 tradeId, address account);

    /// @notice Emitted when governance names the account owed the public share (公共收益).
    event PublicBeneficiarySet(address indexed account, address indexed by);
    /// @notice Emitted when governance names the operator that procures on its behalf.
    event ProcurementAgentSet(address indexed account, address indexed by);
    /// @notice Emitted when a product is listed.
    event Listed(
        uint64 indexed listingId,
        uint64 indexed productId,
        address indexed seller,
        uint64 authorityGrantId,
        ListingTerms terms,
        PriceFiling price,
        PriceStatus priceStatus
    );
    /// @notice Emitted when the seller files a new price.
    event PriceFiled(uint64 indexed listingId, address indexed by, PriceFiling price, PriceStatus priceStatus);
    /// @notice Emitted when a regulator approves a listing's price.
    event PriceApproved(uint64 indexed listingId, address indexed by, bytes32 reasonHash);
    /// @notice Emitted when a regulator rejects a listing's price.
    event PriceRejected(uint64 indexed listingId, address indexed by, bytes32 reasonHash);
    /// @notice Emitted when the seller or a regulator withdraws a listing.
    event Delisted(uint64 indexed listingId, address indexed by, bytes32 reasonHash);
    /// @notice Emitted when a trade (or procurement) opens: the stored trade, and the rest of what it records.
    event TradeOpened(uint64 indexed tradeId, uint64 indexed listingId, address indexed buyer, Trade trade, TradeOpening opening);
    /// @notice Emitted when the seller confirms delivery.
    event DeliveryConfirmed(uint64 indexed tradeId, address indexed by, bytes32 deliveryHash);
    /// @notice Emitted when the buyer confirms receipt; the entitlements were emitted just before.
    event ReceiptConfirmed(uint64 indexed tradeId, address indexed by, uint256 entitlements, bytes32 entitlementsHash);
    /// @notice Emitted when a party disputes an open trade.
    event TradeDisputed(uint64 indexed tradeId, address indexed by, bytes32 reasonHash);
    /// @notice Emitted for each share of a confirmed trade: `party` is owed `amount` (in the listing's currency) as
    /// `role` of subject (`subjectKind`, `subjectId`) along the lineage.
    event EntitlementRecorded(
        uint64 indexed tradeId, address indexed party, EntitlementRole role, SubjectKind subjectKind, uint64 subjectId, uint128 amount
    );

    /// @notice Names the account owed the public share of products with public inputs. Governance only.
    function setPublicBeneficiary(address account) external;

    /// @notice Names the operator that makes procurements on governance's behalf. Governance only.
    function setProcurementAgent(address account) external;

    /// @notice Lists product `productId`. The caller holds the product (`authorityGrantId` 0), or holds valid
    /// product-operation grant `authorityGrantId` over it; it needs a qualification in force, the product a
    /// certification at the level its lineage's grade needs, every input grant along the lineage must be valid and
    /// no resource along it on the negative list for the terms' purposes. A product with public inputs needs its
    /// price approved before it trades.
    /// @return listingId the new listing's id.
    function list(uint64 productId, uint64 authorityGrantId, ListingTerms calldata terms, PriceFiling calldata price)
        external
        returns (uint64 listingId);

    /// @notice Files a new price for a listing (a product with public inputs needs it approved again). Seller only.
    function filePrice(uint64 listingId, PriceFiling calldata price) external;

    /// @notice Approves a pending price. Regulator only.
    function approvePrice(uint64 listingId, bytes32 reasonHash) external;

    /// @notice Rejects a pending price. Regulator only.
    function rejectPrice(uint64 listingId, bytes32 reasonHash) external;

    /// @notice Withdraws a listing. Its seller, or a regulator (with a reason).
    function delist(uint64 listingId, bytes32 reasonHash) external;

    /// @notice Buys `quantity` units at the listing's price: re-checks the seller's right and the whole lineage at
    /// this block, opens the trade and issues the buyer a processing-use grant with the listing's terms.
    /// @return tradeId the new trade's id.
    function buy(uint64 listingId, uint64 quantity, bytes32 settlementRef) external returns (uint64 tradeId);

    /// @notice A procurement on governance's behalf: licenses every member marked as a government department, with
    /// no further trades. Governance or its procurement agent only.
    /// @return tradeId the new trade's id.
    function procure(uint64 listingId, uint64 quantity, bytes32 settlementRef) external returns (uint64 tradeId);

    /// @notice The seller confirms delivery.
    function confirmDelivery(uint64 tradeId, bytes32 deliveryHash) external;

    /// @notice The buyer confirms receipt: the trade is confirmed and its revenue entitlements recorded.
    function confirmReceipt(uint64 tradeId) external;

    /// @notice Either party disputes a trade that is not confirmed.
    function disputeTrade(uint64 tradeId, bytes32 reasonHash) external;

    /// @notice A listing.
    function getListing(uint64 listingId) external view returns (Listing memory);

    /// @notice A trade.
    function getTrade(uint64 tradeId) external view returns (Trade memory);

    /// @notice What `party` is owed in `currency` over every confirmed trade.
    function owed(address party, bytes3 currency) external view returns (uint256);

    /// @notice Whether `account` is licensed to use product `productId` by a procurement.
    function isProcurementLicensed(uint64 productId, address account) external view returns (bool);

    /// @notice The procurement trade of product `productId`, 0 when none.
    function procurementOf(uint64 productId) external view returns (uint64);

    /// @notice Reverts with the cause unless every input grant along the lineage of `productId` is valid now.
    function checkLineage(uint64 productId) external view;

    /// @notice The number of listings and of trades so far.
    function counts() external view returns (uint64 listings, uint64 trades);
}
