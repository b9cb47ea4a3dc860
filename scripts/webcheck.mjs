#!/usr/bin/env node
// SPDX-License-Identifier: MIT
// The web UI's module graph: reads the import statements of every web/**/*.js
// (static `import … from`, `export … from`, side-effect `import '…'`, and
// dynamic `import('…')`) and fails when
//   - a static import chain comes back to where it started (an import cycle:
//     the modules of a cycle see each other half-initialised);
//   - a file under web/components or web/lib imports from web/views (the
//     shared pieces do not depend on pages), statically or dynamically;
//   - a relative import names a file that does not exist.
// Bare specifiers ('vue', 'element-plus') are the import map's and are skipped.
// Usage: node scripts/webcheck.mjs [WEB_DIR]   (default: web)
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(process.argv[2] || path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'web'));

function jsFiles(dir) {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...jsFiles(p));
    else if (e.name.endsWith('.js') || e.name.endsWith('.mjs')) out.push(p);
  }
  return out.sort();
}

// The code without its comments, each string literal replaced by '#n' (its
// text in strings[n]): a comment or a string that mentions import('x') is not
// an import.
function tokens(src) {
  let code = '';
  const strings = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i], d = src[i + 1];
    if (c === '/' && d === '*') {
      const end = src.indexOf('*/', i + 2);
      const stop = end < 0 ? src.length : end + 2;
      code += src.slice(i, stop).replace(/[^\n]/g, ' ');
      i = stop;
    } else if (c === '/' && d === '/') {
      const end = src.indexOf('\n', i);
      i = end < 0 ? src.length : end;
    } else if (c === '\'' || c === '"' || c === '`') {
      let j = i + 1;
      while (j < src.length && src[j] !== c) j += src[j] === '\\' ? 2 : 1;
      const text = src.slice(i + 1, j);
      code += c === '`' ? '``'.padEnd(2 + (text.match(/\n/g) || []).length, '\n') : `'#${strings.push(text) - 1}'`;
      i = j + 1;
    } else {
      code += c;
      i++;
    }
  }
  return { code, strings };
}

// [{spec, dynamic, line}] of one file.
function importsOf(file) {
  const { code, strings } = tokens(fs.readFileSync(file, 'utf8'));
  const lineOf = (at) => code.slice(0, at).split('\n').length;
  const spec = (token) => strings[Number(token)];
  const found = [];
  const statics = [
    /^[ \t]*import\s+(?:[\w$*{}\s,]+?\s+from\s+)?'#(\d+)'/gm,
    /^[ \t]*export\s+(?:\*|\{[^}]*\})(?:\s+as\s+[\w$]+)?\s+from\s+'#(\d+)'/gm,
  ];
  for (const re of statics) {
    for (const m of code.matchAll(re)) found.push({ spec: spec(m[1]), dynamic: false, line: lineOf(m.index) });
  }
  for (const m of code.matchAll(/\bimport\s*\(\s*'#(\d+)'\s*\)/g)) {
    found.push({ spec: spec(m[1]), dynamic: true, line: lineOf(m.index) });
  }
  return found;
}

function resolve(from, spec) {
  if (spec.startsWith('/')) return path.join(root, spec);
  if (spec.startsWith('./') || spec.startsWith('../')) return path.resolve(path.dirname(from), spec);
  return null; // the import map's
}

const rel = (p) => path.relative(root, p).split(path.sep).join('/');
const show = (p) => 'web/' + rel(p);
const problems = [];
const graph = new Map(); // file → [static imports]

for (const file of jsFiles(root)) {
  const deps = [];
  const shared = /^(components|lib)\//.test(rel(file));
  for (const imp of importsOf(file)) {
    const target = resolve(file, imp.spec);
    if (!target) continue;
    if (!fs.existsSync(target)) {
      problems.push(`${show(file)}:${imp.line}: imports ${imp.spec}, which does not exist`);
      continue;
    }
    if (shared && rel(target).startsWith('views/')) {
      problems.push(`${show(file)}:${imp.line}: web/${rel(file).split('/')[0]}/ must not import from web/views/ (${imp.spec})`);
    }
    if (!imp.dynamic) deps.push(target);
  }
  graph.set(file, deps);
}

// Cycles of static imports: the strongly connected parts of the graph (Tarjan),
// each shown as one loop through its first member.
function components() {
  let next = 0;
  const index = new Map(), low = new Map(), on = new Set(), stack = [], out = [];
  function strong(v) {
    index.set(v, next); low.set(v, next); next++;
    stack.push(v); on.add(v);
    for (const w of graph.get(v) || []) {
      if (!index.has(w)) { strong(w); low.set(v, Math.min(low.get(v), low.get(w))); }
      else if (on.has(w)) low.set(v, Math.min(low.get(v), index.get(w)));
    }
    if (low.get(v) === index.get(v)) {
      const part = [];
      let w;
      do { w = stack.pop(); on.delete(w); part.push(w); } while (w !== v);
      if (part.length > 1 || (graph.get(v) || []).includes(v)) out.push(part);
    }
  }
  for (const v of graph.keys()) if (!index.has(v)) strong(v);
  return out;
}
// The shortest way from a back to a within the part (breadth first).
function loopThrough(a, part) {
  const inPart = new Set(part);
  const from = new Map([[a, null]]);
  const queue = [a];
  while (queue.length) {
    const v = queue.shift();
    for (const w of graph.get(v) || []) {
      if (!inPart.has(w)) continue;
      if (w === a) {
        const path_ = [a];
        for (let x = v; x !== a; x = from.get(x)) path_.splice(1, 0, x);
        return [...path_, a];
      }
      if (!from.has(w)) { from.set(w, v); queue.push(w); }
    }
  }
  return [a, a];
}
for (const part of components()) {
  const first = part.slice().sort((x, y) => rel(x).localeCompare(rel(y)))[0];
  problems.push(`import cycle: ${loopThrough(first, part).map(show).join(' → ')}`
    + (part.length > 2 ? ` (${part.length} modules in all: ${part.map(show).sort().join(', ')})` : ''));
}

if (problems.length) {
  for (const p of problems) console.log(p);
  process.exit(1);
}
console.log(`webcheck: ${graph.size} modules, no import cycle, components/ and lib/ import nothing from views/`);
