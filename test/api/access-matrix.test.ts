import { expect } from "chai";
import type { Express } from "express";
import type { Response } from "supertest";
import { apiRoutes } from "../../src/api/app.js";
import { NonceStore } from "../../src/api/auth/nonces.js";
import { apiFixture } from "./api-fixture.js";
import {
  COLUMNS,
  DOCUMENT_ROUTES,
  MATRIX_ROWS,
  NON_API_ROUTES,
  buildMatrixWorld,
  labelOf,
  sendCell,
  type CellLabel,
  type MatrixRow,
  type MatrixWorld,
} from "./access-matrix.js";

const key = (method: string, route: string) => `${method.toLowerCase()} ${route}`;
const rowKey = (row: MatrixRow) => key(row.method, row.route);
const rowTitle = (row: MatrixRow) => `${row.method.toUpperCase()} ${row.route}${row.target === "-" ? "" : ` — ${row.target}`}`;

/** Every method and path the express app routes (declared routes and those registered by hand). */
function expressRoutes(app: Express): string[] {
  const router = (app as unknown as { router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] } }).router;
  const out: string[] = [];
  for (const layer of router.stack) {
    if (!layer.route) continue;
    for (const [method, on] of Object.entries(layer.route.methods)) if (on && method !== "_all") out.push(key(method, layer.route.path));
  }
  return out;
}

/** A refusal is the error body and nothing else: no data of the resource guessed at. */
function expectErrorBody(res: Response, where: string): void {
  expect(res.headers["content-type"], where).to.match(/^application\/json/);
  expect(Object.keys(res.body as object), where).to.deep.equal(["error"]);
  expect(Object.keys(res.body.error as object).sort(), where).to.deep.equal(["code", "message"]);
  expect(res.body.error.code, where).to.match(new RegExp(`^DRL-${res.status}-[A-Z-]+$`));
}

describe("API access matrix", function () {
  let world: MatrixWorld;
  let routes: string[];
  let app: Express;
  const tally = { cells: 0, byLabel: {} as Record<CellLabel, number>, byStatus: {} as Record<number, number> };

  before(async function () {
    const f = await apiFixture({}, { supervision: true });
    app = f.app;
    routes = apiRoutes(f.deps, new NonceStore()).map((r) => key(r.method, r.path));
    world = await buildMatrixWorld(f);
  });

  describe("the table", function () {
    it("has rows for every route of apiRoutes(...) and both document routes, and none for routes that do not exist", function () {
      const inTable = new Set(MATRIX_ROWS.map(rowKey));
      const all = [...routes, ...DOCUMENT_ROUTES];
      for (const r of all) expect(inTable.has(r), `route ${r} has no row in test/api/access-matrix.ts`).to.equal(true);
      for (const r of inTable) expect(all, `row for ${r}, which is no route`).to.include(r);
    });

    it("knows every route the express app serves (a route registered by hand must get rows too)", function () {
      const known = new Set<string>([...MATRIX_ROWS.map(rowKey), ...NON_API_ROUTES]);
      const served = expressRoutes(app);
      expect(served.length).to.be.greaterThan(routes.length);
      for (const r of served) expect(known.has(r), `the app serves ${r}, which the matrix lacks`).to.equal(true);
    });

    it("covers, for every route with an id, the caller's own id, another member's and a missing one", function () {
      for (const route of new Set(MATRIX_ROWS.filter((r) => r.route.includes(":")).map(rowKey))) {
        const rows = MATRIX_ROWS.filter((r) => rowKey(r) === route);
        const labels = new Set(rows.flatMap((r) => COLUMNS.map((c) => labelOf(r, c))));
        for (const l of ["own", "another's", "missing"] as const) expect(labels.has(l), `${route} lacks a cell of ${l} id`).to.equal(true);
      }
    });
  });

  describe("the cells", function () {
    for (const row of MATRIX_ROWS) {
      it(`${rowTitle(row)}: ${COLUMNS.map((c) => `${c} ${row.expect[c]}`).join(", ")}`, async function () {
        for (const column of COLUMNS) {
          const where = `${rowTitle(row)} as ${column} (${labelOf(row, column)} id)`;
          const { ctx, res } = await sendCell(world, row, column);
          expect(res.status, `${where}: ${JSON.stringify(res.body)}`).to.equal(row.expect[column]);
          if (res.status >= 400) expectErrorBody(res, where);
          else if (row.check) row.check(res.body, ctx);
          tally.cells++;
          const label = labelOf(row, column);
          tally.byLabel[label] = (tally.byLabel[label] ?? 0) + 1;
          tally.byStatus[res.status] = (tally.byStatus[res.status] ?? 0) + 1;
        }
      });
    }

    after(function () {
      // Every cell ran (a failed row stops counting, and this then fails too).
      expect(tally.cells).to.equal(MATRIX_ROWS.length * COLUMNS.length);
      console.log(`      access matrix: ${MATRIX_ROWS.length} rows × ${COLUMNS.length} columns = ${tally.cells} cells; ids ${JSON.stringify(tally.byLabel)}; statuses ${JSON.stringify(tally.byStatus)}`);
    });
  });
});
