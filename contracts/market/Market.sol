// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IMarket} from "../interfaces/IMarket.sol";
import {ITradeLookup} from "../interfaces/ITradeLookup.sol";
import {IMemberRegistry} from "../interfaces/IMemberRegistry.sol";
import {IProductRegistry} from "../interfaces/IProductRegistry.sol";
import {IGrantRegistry} from "../interfaces/IGrantRegistry.sol";
import {IResourceRegistry} from "../interfaces/IResourceRegistry.sol";
import {IAdmissionRegistry} from "../interfaces/IAdmissionRegistry.sol";
import {MemberGated} from "../access/MemberGated.sol";
import {Traceable} from "../trace/Traceable.sol";
import {LineageChecks} from "./LineageChecks.sol";
import {Entitlements} from "./Entitlements.sol";
import {Roles} from "../libraries/Roles.sol";
import {Actions} from "../libraries/Actions.sol";
import {SubjectKeys} from "../libraries/SubjectKeys.sol";
import {
    Grade,
    ListingStatus,
    ListingTerms,
    PriceFiling,
    PriceStatus,
    RightType,
    Scope,
    SubjectKind,
    TradeStatus
} from "../libraries/DataTypes.sol";

/// @title Market
/// @notice Listings, prices, trades, delivery receipts, revenue entitlements and procurement. A listing takes four
/// slots and a trade two; the lineage is walked when listing, when buying (the re-check at that block) and when a
/// trade is confirmed (the revenue split), each walk bounded by ProductRegistry.MAX_LINEAGE_EDGES.
contract Market is MemberGated, Traceable, Entitlements, IMarket {
    mapping(uint64 listingId => Listing) private _listings;
    mapping(uint64 tradeId => Trade) private _trades;
    mapping(uint64 productId => uint64 tradeId) private _procurements;
    address private _procurementAgent;
    uint64 private _listingCount;
    uint64 private _tradeCount;

    /// @param members_ the member registry.
    /// @param products the product registry (lineage, holders, share policies).
    /// @param grants the grant registry (input grants' validity, sellers' operation grants, buyers' licences).
    /// @param resources the resource registry (classification for the negative list, holders for entitlements).
    /// @param admission the admission registry (lists, certification levels, ratings, government departments).
    constructor(
        IMemberRegistry members_,
        IProductRegistry products,
        IGrantRegistry grants,
        IResourceRegistry resources,
        IAdmissionRegistry admission
    ) MemberGated(members_) LineageChecks(products, grants, resources, admission) {}

    // ==== GOVERNANCE ====

    /// @inheritdoc IMarket
    function setPublicBeneficiary(address account) external onlyMemberWith(Roles.GOVERNANCE) {
        if (account == address(0)) revert MarketZeroAddress();
        _publicBeneficiary = account;
        emit PublicBeneficiarySet(account, msg.sender);
        _trace(_ledgerSubject(), Actions.PARAMETER_SET, keccak256(abi.encode(account, msg.sender)));
    }

    /// @inheritdoc IMarket
    function setProcurementAgent(address account) external onlyMemberWith(Roles.GOVERNANCE) {
        if (account == address(0)) revert MarketZeroAddress();
        _procurementAgent = account;
        emit ProcurementAgentSet(account, msg.sender);
        _trace(_ledgerSubject(), Actions.PARAMETER_SET, keccak256(abi.encode(account, msg.sender)));
    }

    // ==== LISTINGS ====

    /// @inheritdoc IMarket
    function list(uint64 productId, uint64 authorityGrantId, ListingTerms calldata terms, PriceFiling calldata price)
        external
        returns (uint64 listingId)
    {
        if (terms.purposes == 0 || terms.term == 0) revert MarketInvalidTerms();
        if (terms.termsHash == bytes32(0)) revert MarketEmptyHash();
        _checkPrice(price);
        bool hasPublic = _checkAdmission(productId, authorityGrantId, terms.purposes);

        listingId = ++_listingCount;
        PriceStatus priceStatus = hasPublic ? PriceStatus.Pending : PriceStatus.NotRequired;
        _listings[listingId] = Listing({
            seller: msg.sender,
            productId: productId,
            status: ListingStatus.Active,
            priceStatus: priceStatus,
            price: price,
            terms: terms,
            authorityGrantId: authorityGrantId
        });
        emit Listed(listingId, productId, msg.sender, authorityGrantId, terms, price, priceStatus);
        _trace(_listingKey(listingId), Actions.LISTED, keccak256(abi.encode(listingId, productId, msg.sender, authorityGrantId, terms, price, priceStatus)));
    }

    /// @inheritdoc IMarket
    function filePrice(uint64 listingId, PriceFiling calldata price) external onlyActiveMember {
        Listing storage listing = _active(listingId);
        if (listing.seller != msg.sender) revert MarketNotSeller(listingId, msg.sender);
        _checkPrice(price);
        PriceStatus priceStatus = listing.priceStatus == PriceStatus.NotRequired ? PriceStatus.NotRequired : PriceStatus.Pending;
        listing.price = price;
        listing.priceStatus = priceStatus;
        emit PriceFiled(listingId, msg.sender, price, priceStatus);
        _trace(_listingKey(listingId), Actions.PRICE_FILED, keccak256(abi.encode(listingId, msg.sender, price, priceStatus)));
    }

    /// @inheritdoc IMarket
    function approvePrice(uint64 listingId, bytes32 reasonHash) external onlyMemberWith(Roles.REGULATOR) {
        _decidePrice(listingId, reasonHash, PriceStatus.Approved);
        emit PriceApproved(listingId, msg.sender, reasonHash);
        _trace(_listingKey(listingId), Actions.PRICE_APPROVED, keccak256(abi.encode(listingId, msg.sender, reasonHash)));
    }

    /// @inheritdoc IMarket
    function rejectPrice(uint64 listingId, bytes32 reasonHash) external onlyMemberWith(Roles.REGULATOR) {
        _decidePrice(listingId, reasonHash, PriceStatus.Rejected);
        emit PriceRejected(listingId, msg.sender, reasonHash);
        _trace(_listingKey(listingId), Actions.PRICE_REJECTED, keccak256(abi.encode(listingId, msg.sender, reasonHash)));
    }

    /// @inheritdoc IMarket
    function delist(uint64 listingId, bytes32 reasonHash) external onlyActiveMember {
        Listing storage listing = _active(listingId);
        if (listing.seller != msg.sender) {
            if (!_members.hasActiveRole(msg.sender, Roles.REGULATOR)) revert MarketNotSeller(listingId, msg.sender);
            if (reasonHash == bytes32(0)) revert MarketEmptyHash();
        }
        listing.status = ListingStatus.Delisted;
        emit Delisted(listingId, msg.sender, reasonHash);
        _trace(_listingKey(listingId), Actions.DELISTED, keccak256(abi.encode(listingId, msg.sender, reasonHash)));
    }

    // ==== TRADES ====

    /// @inheritdoc IMarket
    function buy(uint64 listingId, uint64 quantity, bytes32 settlementRef) external returns (uint64 tradeId) {
        Listing storage listing = _tradable(listingId, settlementRef);
        address seller = listing.seller;
        if (msg.sender == seller) revert MarketSelfTrade(msg.sender);
        uint64 productId = listing.productId;
        uint64 procured = _procurements[productId];
        if (procured != 0 && _admission.isGovernmentDepartment(msg.sender)) revert MarketAlreadyProcured(productId, procured);
        uint128 amount = _amount(listing.price.amount, quantity);
        ListingTerms memory terms = listing.terms;
        Scope memory scope = Scope({
            purposes: terms.purposes,
            region: terms.region,
            validFrom: uint40(block.timestamp),
            validUntil: uint40(block.timestamp) + terms.term,
            exclusive: false,
            maySubGrant: false,
            depth: 0,
            cap: terms.cap
        });
        // The grant registry checks the buyer (an active processor, not the seller).
        uint64 grantId = _grants.grantOnSale(productId, seller, msg.sender, scope, terms.termsHash);
        tradeId = _open(listing, listingId, quantity, amount, settlementRef, grantId, false);
    }

    /// @inheritdoc IMarket
    function procure(uint64 listingId, uint64 quantity, bytes32 settlementRef) external onlyActiveMember returns (uint64 tradeId) {
        if (msg.sender != _procurementAgent && !_members.hasActiveRole(msg.sender, Roles.GOVERNANCE)) {
            revert MarketNotProcurementAgent(msg.sender);
        }
        Listing storage listing = _tradable(listingId, settlementRef);
        if (msg.sender == listing.seller) revert MarketSelfTrade(msg.sender);
        uint64 productId = listing.productId;
        uint64 procured = _procurements[productId];
        if (procured != 0) revert MarketAlreadyProcured(productId, procured);
        uint128 amount = _amount(listing.price.amount, quantity);
        tradeId = _open(listing, listingId, quantity, amount, settlementRef, 0, true);
        _procurements[productId] = tradeId;
    }

    /// @inheritdoc IMarket
    function confirmDelivery(uint64 tradeId, bytes32 deliveryHash) external onlyActiveMember {
        Trade storage t = _existingTrade(tradeId);
        if (msg.sender != _listings[t.listingId].seller) revert MarketNotParty(tradeId, msg.sender);
        if (t.status != TradeStatus.Open) revert MarketTradeStatus(tradeId, t.status);
        if (deliveryHash == bytes32(0)) revert MarketEmptyHash();
        t.status = TradeStatus.Delivered;
        emit DeliveryConfirmed(tradeId, msg.sender, deliveryHash);
        _trace(_tradeKey(tradeId), Actions.DELIVERY_CONFIRMED, keccak256(abi.encode(tradeId, msg.sender, deliveryHash)));
    }

    /// @inheritdoc IMarket
    function confirmReceipt(uint64 tradeId) external onlyActiveMember {
        Trade storage t = _existingTrade(tradeId);
        if (msg.sender != t.buyer) revert MarketNotParty(tradeId, msg.sender);
        if (t.status != TradeStatus.Delivered) revert MarketTradeStatus(tradeId, t.status);
        t.status = TradeStatus.Confirmed;
        Listing storage listing = _listings[t.listingId];
        Tally memory tally = Tally({tradeId: tradeId, currency: listing.price.currency, count: 0, hash: bytes32(0)});
        _split(tally, t.productId, t.amount, listing.seller);
        emit ReceiptConfirmed(tradeId, msg.sender, tally.count, tally.hash);
        _trace(_tradeKey(tradeId), Actions.RECEIPT_CONFIRMED, keccak256(abi.encode(tradeId, msg.sender, tally.count, tally.hash)));
    }

    /// @inheritdoc IMarket
    function disputeTrade(uint64 tradeId, bytes32 reasonHash) external onlyActiveMember {
        Trade storage t = _existingTrade(tradeId);
        if (msg.sender != t.buyer && msg.sender != _listings[t.listingId].seller) revert MarketNotParty(tradeId, msg.sender);
        if (t.status != TradeStatus.Open && t.status != TradeStatus.Delivered) revert MarketTradeStatus(tradeId, t.status);
        if (reasonHash == bytes32(0)) revert MarketEmptyHash();
        t.status = TradeStatus.Disputed;
        emit TradeDisputed(tradeId, msg.sender, reasonHash);
        _trace(_tradeKey(tradeId), Actions.TRADE_DISPUTED, keccak256(abi.encode(tradeId, msg.sender, reasonHash)));
    }

    // ==== VIEWS ====

    /// @inheritdoc IMarket
    function getListing(uint64 listingId) external view returns (Listing memory) {
        Listing storage listing = _listings[listingId];
        if (listing.seller == address(0)) revert MarketUnknownListing(listingId);
        return listing;
    }

    /// @inheritdoc IMarket
    function getTrade(uint64 tradeId) external view returns (Trade memory) {
        return _existingTrade(tradeId);
    }

    /// @inheritdoc IMarket
    function owed(address party, bytes3 currency) external view returns (uint256) {
        return _owed[party][currency];
    }

    /// @inheritdoc IMarket
    function isProcurementLicensed(uint64 productId, address account) external view returns (bool) {
        uint64 tradeId = _procurements[productId];
        if (tradeId == 0 || _trades[tradeId].status == TradeStatus.Disputed) return false;
        return _admission.isGovernmentDepartment(account) && _members.isActive(account);
    }

    /// @inheritdoc ITradeLookup
    function tradeExists(uint64 tradeId) external view returns (bool) {
        return _trades[tradeId].buyer != address(0);
    }

    /// @inheritdoc IMarket
    function procurementOf(uint64 productId) external view returns (uint64) {
        return _procurements[productId];
    }

    /// @inheritdoc IMarket
    function checkLineage(uint64 productId) external view {
        _checkProductAndLineage(productId, 0);
    }

    /// @inheritdoc IMarket
    function counts() external view returns (uint64 listings, uint64 trades) {
        return (_listingCount, _tradeCount);
    }

    /// @notice The account owed the public share, and the procurement agent.
    function parties() external view returns (address publicBeneficiary, address procurementAgent) {
        return (_publicBeneficiary, _procurementAgent);
    }

    // ==== INTERNAL ====

    /// @dev The listing `listingId` if a trade may open on it now: active, its price approved where needed, the
    /// seller's right still good, and the product and its whole lineage valid at this block.
    function _tradable(uint64 listingId, bytes32 settlementRef) private view returns (Listing storage listing) {
        if (settlementRef == bytes32(0)) revert MarketEmptyHash();
        listing = _active(listingId);
        PriceStatus priceStatus = listing.priceStatus;
        if (priceStatus != PriceStatus.NotRequired && priceStatus != PriceStatus.Approved) {
            revert MarketPriceNotApproved(listingId, priceStatus);
        }
        uint64 productId = listing.productId;
        (,, address holder) = _checkProductAndLineage(productId, 0);
        _checkSellerRight(productId, listing.authorityGrantId, listing.seller, holder);
    }

    function _open(
        Listing storage listing,
        uint64 listingId,
        uint64 quantity,
        uint128 amount,
        bytes32 settlementRef,
        uint64 grantId,
        bool procurement
    ) private returns (uint64 tradeId) {
        tradeId = ++_tradeCount;
        Trade memory t = Trade({
            buyer: msg.sender,
            listingId: listingId,
            status: TradeStatus.Open,
            procurement: procurement,
            amount: amount,
            grantId: grantId,
            productId: listing.productId
        });
        _trades[tradeId] = t;
        TradeOpening memory o =
            TradeOpening({seller: listing.seller, quantity: quantity, currency: listing.price.currency, settlementRef: settlementRef});
        emit TradeOpened(tradeId, listingId, msg.sender, t, o);
        _trace(_tradeKey(tradeId), Actions.TRADE_OPENED, keccak256(abi.encode(tradeId, listingId, msg.sender, t, o)));
    }

    /// @dev Reverts unless `seller` may sell product `productId`: as its holder (`authorityGrantId` 0, an active
    /// processor) or as the grantee of valid product-operation grant `authorityGrantId` over it.
    function _checkSellerRight(uint64 productId, uint64 authorityGrantId, address seller, address holder) private view {
        if (authorityGrantId == 0) {
            _members.checkActiveRole(seller, Roles.PROCESSOR);
            if (holder != seller) revert MarketNotProductHolder(productId, seller);
        } else {
            _grants.checkHeldGrant(authorityGrantId, seller, RightType.ProductOperation, SubjectKind.Product, productId);
        }
    }

    /// @dev The listing rules: the seller's right and qualification, the product's lineage (valid grants, nothing on
    /// the negative list) and its certification. Returns whether the lineage holds public data.
    function _checkAdmission(uint64 productId, uint64 authorityGrantId, uint32 purposes) private view returns (bool hasPublic) {
        Grade maxGrade;
        address holder;
        (maxGrade, hasPublic, holder) = _checkProductAndLineage(productId, purposes);
        _checkSellerRight(productId, authorityGrantId, msg.sender, holder);
        (uint8 qualification,) = _admission.qualificationLevel(msg.sender);
        if (qualification == 0) revert MarketSellerNotQualified(msg.sender);
        uint8 required = _admission.requiredLevel(maxGrade);
        (uint8 level,) = _admission.certificationLevel(productId);
        if (level == 0 || level < required) revert MarketCertificationTooLow(productId, level, required);
        if (hasPublic && _publicBeneficiary == address(0)) revert MarketPublicBeneficiaryUnset();
    }

    function _decidePrice(uint64 listingId, bytes32 reasonHash, PriceStatus decision) private {
        Listing storage listing = _active(listingId);
        if (listing.priceStatus != PriceStatus.Pending) revert MarketPriceNotPending(listingId, listing.priceStatus);
        if (reasonHash == bytes32(0)) revert MarketEmptyHash();
        listing.priceStatus = decision;
    }

    function _checkPrice(PriceFiling calldata price) private pure {
        if (price.amount == 0 || price.currency == bytes3(0) || price.unit == bytes12(0)) revert MarketInvalidPrice();
    }

    function _amount(uint128 unitPrice, uint64 quantity) private pure returns (uint128) {
        uint256 amount = uint256(unitPrice) * quantity;
        if (quantity == 0 || amount > type(uint128).max) revert MarketInvalidQuantity(quantity);
        return uint128(amount);
    }

    function _active(uint64 listingId) private view returns (Listing storage listing) {
        listing = _listings[listingId];
        if (listing.seller == address(0)) revert MarketUnknownListing(listingId);
        if (listing.status != ListingStatus.Active) revert MarketListingNotActive(listingId);
    }

    function _existingTrade(uint64 tradeId) private view returns (Trade storage t) {
        t = _trades[tradeId];
        if (t.buyer == address(0)) revert MarketUnknownTrade(tradeId);
    }

    function _listingKey(uint64 listingId) private pure returns (bytes32) {
        return SubjectKeys.key(SubjectKind.Listing, listingId);
    }

    function _tradeKey(uint64 tradeId) private pure returns (bytes32) {
        return SubjectKeys.key(SubjectKind.Trade, tradeId);
    }
}
