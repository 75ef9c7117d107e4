// The default views evaluated by fhirpath.js over the same replicated NDJSON as the C# benchmark.
// Usage: node views.js DATA_FOLDER VIEWS_FOLDER RESOURCES
'use strict';
const fs = require('fs');
const path = require('path');
const fhirpath = require('fhirpath');
const r4 = require('fhirpath/fhir-context/r4');

const [folder, viewsFolder, target] = [process.argv[2], process.argv[3], Number(process.argv[4] || 1000000)];

function referenceKey(ref, type) {
  const reference = ref && ref.reference;
  if (typeof reference !== 'string' || reference.includes('?')) return undefined;
  if (reference.startsWith('urn:uuid:')) return reference.slice(9);
  const parts = reference.split('/');
  if (parts.length < 2) return undefined;
  if (type && parts[parts.length - 2] !== type) return undefined;
  return parts[parts.length - 1];
}

const options = {
  userInvocationTable: {
    getResourceKey: { fn: (inputs) => inputs.map((r) => r.id), arity: { 0: [] } },
    getReferenceKey: {
      fn: (inputs, type) => inputs.map((r) => referenceKey(r, type)).filter((k) => k !== undefined),
      arity: { 0: [], 1: ['String'] },
    },
  },
};

// getReferenceKey(Patient) takes a type specifier; fhirpath.js user functions take values, so quote it.
const views = fs.readdirSync(viewsFolder).filter((f) => f.endsWith('.json')).map((f) => {
  const view = JSON.parse(fs.readFileSync(path.join(viewsFolder, f), 'utf8'));
  const columns = view.select[0].column.map((c) => ({
    name: c.name,
    fn: fhirpath.compile(c.path.replace(/getReferenceKey\((\w+)\)/g, "getReferenceKey('$1')"), r4, options),
  }));
  return { name: view.name, resource: view.resource, columns };
});
const byType = new Map();
for (const v of views) {
  if (!byType.has(v.resource)) byType.set(v.resource, []);
  byType.get(v.resource).push(v);
}

const unique = [];
for (const f of fs.readdirSync(folder).sort()) {
  if (!f.endsWith('.ndjson') || f.startsWith('log')) continue;
  for (const line of fs.readFileSync(path.join(folder, f), 'utf8').split('\n')) if (line.length) unique.push(line);
}

function run(count) {
  let rows = 0, values = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) {
    const resource = JSON.parse(unique[i % unique.length]);
    const vs = byType.get(resource.resourceType);
    if (!vs) continue;
    for (const v of vs) {
      const row = {};
      for (const c of v.columns) {
        const result = c.fn(resource);
        if (result.length > 0) { row[c.name] = result[0]; values++; }
      }
      rows++;
    }
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { rows, values, seconds };
}

if (process.argv[5] === '--counts') {
  // Non-null values per view and column over the distinct resources, to compare with the C# engine.
  const counts = {};
  for (const line of unique) {
    const resource = JSON.parse(line);
    for (const v of byType.get(resource.resourceType) || []) {
      for (const c of v.columns) {
        const key = `${v.name}.${c.name}`;
        counts[key] = (counts[key] || 0) + (c.fn(resource).length > 0 ? 1 : 0);
      }
    }
  }
  for (const key of Object.keys(counts).sort()) console.log(`${key} ${counts[key]}`);
  process.exit(0);
}

run(Math.min(20000, target));
const r = run(target);
console.log(`fhirpath.js ${require('fhirpath/package.json').version} on node ${process.version}, 1 thread: ` +
  `${Math.round(target / r.seconds).toLocaleString('en-US')} resources/s ${Math.round(r.rows / r.seconds).toLocaleString('en-US')} rows/s ` +
  `(${r.rows.toLocaleString('en-US')} rows, ${r.values.toLocaleString('en-US')} non-null values, ${r.seconds.toFixed(2)} s)`);
