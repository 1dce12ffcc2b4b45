import type { Deployment } from "../../src/chain/contracts.js";
import { Category, DeliveryMode, Domain, Grade, OpenClass, ProductKind, ResourceKind, RightType, SubjectKind } from "../../src/domain/enums.js";
import { defaultScope, ethers, h, networkHelpers, ROLES, type LedgerFixture } from "./fixtures.js";
import { runMarketScenario } from "./market.js";

/** The deployment a fixture's contracts form, as the indexer is configured with it. */
export async function deploymentOf(fx: LedgerFixture): Promise<Deployment> {
  const tx = fx.members.deploymentTransaction();
  const receipt = tx ? await tx.wait() : null;
  const block = receipt?.blockNumber ?? 0;
  return {
    chainId: (await ethers.provider.getNetwork()).chainId,
    deploymentBlock: block,
    addresses: {
      MemberRegistry: await fx.members.getAddress(),
      ResourceRegistry: await fx.resources.getAddress(),
      GrantRegistry: await fx.grants.getAddress(),
      OperationRegistry: await fx.operations.getAddress(),
      ConsentRegistry: await fx.consents.getAddress(),
      ProductRegistry: await fx.products.getAddress(),
      AdmissionRegistry: await fx.admission.getAddress(),
      Market: await fx.market.getAddress(),
    },
  };
}

/**
 * A scenario touching every core event: registrations, a transfer, versions, an objection both ways, freezes, a
 * grant chain with a revocation, suspensions, a role change and an expulsion.
 */
export async function runCoreScenario(fx: LedgerFixture, round = 0): Promise<void> {
  const wait = async (p: Promise<{ wait: () => Promise<unknown> }>) => {
    await (await p).wait();
  };
  const r = fx.resources.connect(fx.holder);
  await wait(r.register(ResourceKind.Api, Category.Public, Grade.General, Domain.Health, OpenClass.Conditional, h(`c:health:${round}`), `ipfs://health/${round}`));
  await wait(r.register(ResourceKind.DataSet, Category.Personal, Grade.Important, Domain.Finance, OpenClass.NotApplicable, h(`c:fin:${round}`), `ipfs://finance/${round}`));
  const count = await fx.resources.resourceCount();
  const a = count - 1n;
  const b = count;
  await wait(r.change(a, h(`c:health:v2:${round}`), `ipfs://health/${round}/v2`));
  await wait(fx.resources.connect(fx.holder2).object(b, h(`objection:${round}`)));
  await wait(fx.resources.connect(fx.regulator).resolveObjection(b, 1, false, h("dismissed")));
  const scope = await defaultScope();
  const yearOn = BigInt(await networkHelpers.time.latest()) + 365n * 86400n;
  // Public data circulates through an authorized operator; personal data rests on recorded consent.
  const processor = await fx.processor.getAddress();
  if (!(await fx.members.hasRole(ROLES.OPERATOR, processor))) await wait(fx.members.grantRole(ROLES.OPERATOR, processor));
  await wait(fx.operations.authorize(processor, [a], h(`scenario:${round}`), h(`conditions:${round}`), 0, yearOn));
  const authId = await fx.operations.authorizationFor(processor, a);
  await wait(fx.operations.connect(fx.regulator).evaluate(authId, 202611, 92, h(`evaluation:${round}`)));
  await wait(fx.consents.connect(fx.holder).record(b, h(`consent:${round}`), 0b111, 1200, yearOn));
  const g = fx.grants.connect(fx.holder);
  await wait(g.grant(RightType.ProcessingUse, SubjectKind.Resource, a, await fx.processor.getAddress(), scope, h(`terms:${round}`), 0));
  const root = await fx.grants.grantCount();
  await wait(fx.grants.connect(fx.processor).grant(RightType.ProcessingUse, SubjectKind.Resource, a, await fx.processor2.getAddress(), { ...scope, depth: 1 }, h(`terms:sub:${round}`), root));
  await wait(g.grant(RightType.ProcessingUse, SubjectKind.Resource, b, await fx.processor3.getAddress(), { ...scope, maySubGrant: false, depth: 0 }, h(`terms:b:${round}`), 0));
  await wait(fx.grants.connect(fx.regulator).freeze(root + 2n, h("freeze")));
  await wait(fx.grants.connect(fx.regulator).unfreeze(root + 2n, h("unfreeze")));
  await wait(fx.resources.connect(fx.regulator).freeze(b, h("freeze:r")));
  await wait(fx.resources.connect(fx.regulator).unfreeze(b, h("unfreeze:r")));
  await wait(r.transfer(b, await fx.holder2.getAddress(), h(`transfer:${round}`)));
  await wait(g.revoke(root, h("revoke")));
  await wait(fx.members.suspend(await fx.processor3.getAddress(), h(`s:${round}`)));
  await wait(fx.members.reinstate(await fx.processor3.getAddress(), h(`r:${round}`)));
  // A product made by processor3 under its grant on b (personal data: no raw export), operated by the operator.
  const spec = {
    kind: ProductKind.Report,
    delivery: DeliveryMode.PrivacyComputing,
    domain: Domain.Finance,
    environmentHash: h(`env:${round}`),
    metadataHash: h(`product:${round}`),
    uri: `ipfs://product/${round}`,
    operatorBps: 3000,
    publicBps: 0,
  };
  await wait(fx.products.connect(fx.processor3).register(spec, [{ kind: SubjectKind.Resource, id: b, grantId: root + 2n, shareBps: 7000 }]));
  const productId = await fx.products.productCount();
  await wait(fx.grants.connect(fx.processor3).grant(RightType.ProductOperation, SubjectKind.Product, productId, await fx.operator.getAddress(), { ...scope, maySubGrant: false, depth: 0 }, h(`operation:${round}`), 0));
  await wait(fx.products.connect(fx.regulator).freeze(productId, h(`freeze:p:${round}`)));
  await wait(fx.products.connect(fx.regulator).unfreeze(productId, h(`unfreeze:p:${round}`)));
  // A data subject's complaint: the regulator withdraws a purpose of the consent that grant b does not use.
  await wait(fx.consents.connect(fx.regulator).withdraw(await fx.consents.currentConsent(b), 0b100, h(`complaint:${round}`)));
  await runMarketScenario(fx, round);
}
