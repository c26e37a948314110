// A portal's TypeScript client of govreport in a few lines: the types come
// from openapi-typescript run on docs/openapi.yaml as is (schema.d.ts), the
// calls from openapi-fetch. It sends a report to a running `govreport
// serve` and writes the PDF. cmd/govreport's TestGeneratedClients generates
// the types, compiles this file with tsc (strict) and compares the PDF with
// `govreport render`'s.
//
//	openapi-typescript ../../openapi.yaml -o schema.d.ts && tsc -p .
//	node dist/export.mjs http://127.0.0.1:8080 report.json report.pdf [fee]
import { readFileSync, writeFileSync } from "node:fs";
import createClient from "openapi-fetch";
import type { components, paths } from "./schema.js";

type Report2021 = components["schemas"]["Report2021"];

const [server, input, output, fee] = process.argv.slice(2);
if (!server || !input || !output) {
  console.error("usage: export.mjs SERVER REPORT.json OUT.pdf [FEE]");
  process.exit(2);
}

// JSON.parse gives numbers as doubles: exact for the counts (integers below
// 10^12) but not for every amount, so the fee is sent as the decimal string
// the document allows (Amount: string | number | null).
const report = JSON.parse(readFileSync(input, "utf8")) as Report2021;
if (fee !== undefined) {
  report.proactive_disclosure.fee_income_wan_yuan = fee;
}
console.log(`fee_income_wan_yuan: ${JSON.stringify(report.proactive_disclosure.fee_income_wan_yuan)}`);

const client = createClient<paths>({ baseUrl: server });
const { data, error, response } = await client.POST("/v1/reports/export", {
  params: { query: { format: "pdf" } },
  body: report,
  parseAs: "arrayBuffer",
});
if (error !== undefined || data === undefined) {
  console.error(`export: ${response.status}: ${JSON.stringify(error)}`);
  process.exit(1);
}
writeFileSync(output, new Uint8Array(data));
