import { expect } from "chai";
import { ledgerFixture, defaultScope, h } from "../helpers/fixtures.js";
import { RightType, SubjectKind } from "../helpers/enums.js";

describe("Ledger smoke", function () {
  it("grants, sub-grants and reports validity", async function () {
    const { grants, holder, processor, processor2, resourceId } = await ledgerFixture();
    const scope = await defaultScope();
    await (await grants.connect(holder).grant(RightType.ProcessingUse, SubjectKind.Resource, resourceId, await processor.getAddress(), scope, h("terms"), 0)).wait();
    expect(await grants.isGrantValid(1)).to.equal(true);
    const sub = await defaultScope({ depth: 1, validFrom: scope.validFrom, validUntil: scope.validUntil });
    await (await grants.connect(processor).grant(RightType.ProcessingUse, SubjectKind.Resource, resourceId, await processor2.getAddress(), sub, h("terms2"), 1)).wait();
    expect(await grants.isGrantValid(2)).to.equal(true);
    await (await grants.connect(holder).revoke(1, h("r"))).wait();
    expect(await grants.isGrantValid(2)).to.equal(false);
  });
});
