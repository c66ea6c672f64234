// Parses an AsyncAPI document with the AsyncAPI project's own parser and its Avro schema parser,
// and prints every diagnostic as one JSON object per line. Usage: node validate.js FILE
// Exit status: 0 when parsing produced a document (the test decides about the diagnostics).
const fs = require('fs');
const { Parser } = require('@asyncapi/parser');
const { AvroSchemaParser } = require('@asyncapi/avro-schema-parser');

const SEVERITIES = ['error', 'warning', 'info', 'hint'];

async function main() {
  const parser = new Parser();
  parser.registerSchemaParser(AvroSchemaParser());
  const text = fs.readFileSync(process.argv[2], 'utf8');
  const { document, diagnostics } = await parser.parse(text);
  for (const d of diagnostics) {
    console.log(JSON.stringify({
      severity: SEVERITIES[d.severity] || String(d.severity),
      code: d.code,
      message: d.message,
      path: d.path,
    }));
  }
  process.exit(document ? 0 : 1);
}

main().catch((error) => {
  console.error(error && error.stack ? error.stack : String(error));
  process.exit(2);
});
