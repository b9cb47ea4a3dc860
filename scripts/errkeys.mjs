#!/usr/bin/env node
// SPDX-License-Identifier: MIT
// errkeys.mjs - every error key the C code can send, from the source: the key
// argument of each call that makes an error (err_set, err_field and the kit's
// wrappers), with the parameters its format names ("{name}%s") and the codes
// it comes with; and the generic key of every code (src/base/err.c).
//   node scripts/errkeys.mjs --check   fails when web/i18n/zh-CN.json or en.json
//                                      lacks "err.<key>" for a key, when a
//                                      translation names a parameter no call
//                                      gives, or when docs/ERRORS.md is stale
//   node scripts/errkeys.mjs --write   rewrites docs/ERRORS.md
import { readFileSync, writeFileSync, readdirSync, statSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

// function → [index of the key argument, index of the format, index of the code or -1]
const MAKERS = {
  err_set: [3, 4, 1],
  err_field: [2, 3, -1],
  err_item_set: [1, 2, -1],
  wf_conflict: [1, 2, 'ERR_CONFLICT'],
  wf_invalid: [2, 3, 'ERR_INVALID'],
  unauth: [1, 2, 'ERR_UNAUTHENTICATED'], // core/auth.c
  bad: [2, 3, 'ERR_BAD_QUERY'], // engine/query.c
  fatal: [3, 4, 2], // engine/import.c
};
const KEY_RE = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$/;

function cFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...cFiles(p));
    else if (name.endsWith('.c')) out.push(p);
  }
  return out.sort();
}

// The text with comments blanked (same length, so offsets and lines hold).
function stripComments(s) {
  return s.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, (m) => m.replace(/[^\n]/g, ' '));
}

// Top-level arguments of the call whose '(' is at i: [{text, start}], or null.
function args(s, i) {
  let depth = 0, start = i + 1;
  const out = [];
  for (let j = i; j < s.length; j++) {
    const c = s[j];
    if (c === '"' || c === "'") {
      for (j++; s[j] !== c; j++) if (s[j] === '\\') j++;
    } else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      if (--depth === 0) { out.push({ text: s.slice(start, j).trim(), start }); return out; }
    } else if (c === ',' && depth === 1) { out.push({ text: s.slice(start, j).trim(), start }); start = j + 1; }
  }
  return null;
}

// The value of an argument made only of adjacent string literals, else null.
function literal(a) {
  if (!/^("([^"\\]|\\.)*"\s*)+$/.test(a)) return null;
  let v = '';
  for (const m of a.matchAll(/"((?:[^"\\]|\\.)*)"/g)) v += m[1];
  return v;
}

function codeTable() {
  const src = readFileSync(join(root, 'src/base/err.c'), 'utf8');
  const codes = [];
  for (const m of src.matchAll(/\{(ERR_\w+),\s*"(BUR-\d+)",\s*(\d+),\s*"([^"]*)",\s*"([^"]*)"\}/g))
    codes.push({ sym: m[1], id: m[2], status: Number(m[3]), title: m[4], key: m[5] });
  return codes;
}

export function collect() {
  const codes = codeTable();
  const bySym = Object.fromEntries(codes.map((c) => [c.sym, c]));
  const keys = new Map(); // key → {params:Set, codes:Set, sites:[]}
  const problems = [];
  const add = (key, params, code, site) => {
    if (!keys.has(key)) keys.set(key, { params: new Set(), codes: new Set(), sites: [] });
    const k = keys.get(key);
    params.forEach((p) => k.params.add(p));
    if (code) k.codes.add(code);
    k.sites.push(site);
  };
  for (const c of codes) add(c.key, [], c.id, 'src/base/err.c');
  const callRe = new RegExp(`\\b(${Object.keys(MAKERS).join('|')})\\s*\\(`, 'g');
  for (const file of cFiles(join(root, 'src'))) {
    const rel = file.slice(root.length + 1);
    const s = stripComments(readFileSync(file, 'utf8'));
    for (const m of s.matchAll(callRe)) {
      const before = s.slice(s.lastIndexOf('\n', m.index) + 1, m.index);
      if (/^\s*(static\s+)?(int|void)\s*$/.test(before)) continue; // a definition
      const a = args(s, m.index + m[0].length - 1);
      const [ki, fi, ci] = MAKERS[m[1]];
      if (!a || a.length <= ki) continue;
      const line = s.slice(0, m.index).split('\n').length;
      const site = `${rel}:${line}`;
      const fmt = a.length > fi ? literal(a[fi].text) : null;
      const params = fmt ? [...fmt.matchAll(/\{([a-z0-9_]+)\}%/g)].map((x) => x[1]) : [];
      // the code: a symbol, or each symbol of a choice between them
      const syms = typeof ci === 'string' ? [ci] : ci >= 0 && a[ci] ? a[ci].text.match(/ERR_\w+/g) || [] : [];
      const known = syms.map((x) => bySym[x]).filter(Boolean);
      const code = known.length === 1 ? known[0] : null;
      const keyArg = a[ki].text;
      if (keyArg === 'NULL') {
        if (m[1] === 'err_field') problems.push(`${site}: a field error needs a key`);
        else if (known.length) known.forEach((k) => add(k.key, params, k.id, site));
        else problems.push(`${site}: no key and no known code (${a[ci] ? a[ci].text : '?'})`);
        continue;
      }
      const key = literal(keyArg);
      if (key === null) continue; // passed through: its callers are scanned
      if (!KEY_RE.test(key)) { problems.push(`${site}: '${key}' is not a key`); continue; }
      add(key, params, code && code.id, site);
    }
  }
  return { codes, keys, problems };
}

function load(name) {
  return JSON.parse(readFileSync(join(root, 'web/i18n', name), 'utf8'));
}

export function render({ codes, keys }, zh, en) {
  const esc = (s) => String(s ?? '').replace(/\|/g, '\\|');
  const lines = [
    '# Error codes and keys',
    '',
    'DO NOT EDIT - generated by `node scripts/errkeys.mjs --write` from the C source and web/i18n.',
    '',
    'Every error answer is `application/problem+json` with a stable `code` (what kind of error, and the',
    'HTTP status) and a stable `key` (what exactly went wrong) with its `params`; each item of `errors`',
    'names a `field` with its own `key` and `params`. `detail` and `message` are English for people',
    'reading the answer by hand; a program reads the key. The web UI translates `err.<key>` from',
    'web/i18n/zh-CN.json and en.json, filling `{param}`.',
    '',
    'Codes are stable: a number is never reused; retired codes stay listed.',
    'Groups: 1xx request, 2xx validation, 3xx authentication, 4xx database and conflicts, 5xx module',
    'rules, 9xx internal.',
    '',
    '| code | HTTP | title | key when no other is given |',
    '|---|---|---|---|',
    ...codes.map((c) => `| ${c.id} | ${c.status} | ${c.title} | \`${c.key}\` |`),
    '',
    '## Keys',
    '',
    'Codes are those the key is sent with; a key without one is a field error (inside a 400 or 422).',
    '',
    '| key | codes | params | zh-CN | en |',
    '|---|---|---|---|---|',
  ];
  for (const k of [...keys.keys()].sort()) {
    const v = keys.get(k);
    lines.push(`| \`${k}\` | ${[...v.codes].sort().join(', ')} | ${[...v.params].sort().join(', ')} | ` +
      `${esc(zh['err.' + k])} | ${esc(en['err.' + k])} |`);
  }
  return lines.join('\n') + '\n';
}

function main() {
  const mode = process.argv[2];
  if (mode !== '--check' && mode !== '--write') {
    console.error('usage: node scripts/errkeys.mjs --check|--write');
    process.exit(2);
  }
  const found = collect();
  const zh = load('zh-CN.json'), en = load('en.json');
  const bad = [...found.problems];
  for (const [key, v] of found.keys) {
    for (const [name, msgs] of [['zh-CN', zh], ['en', en]]) {
      const t = msgs['err.' + key];
      if (typeof t !== 'string') { bad.push(`${name}.json lacks "err.${key}" (${v.sites[0]})`); continue; }
      for (const m of t.matchAll(/\{([a-z0-9_]+)\}/g))
        if (!v.params.has(m[1])) bad.push(`${name}.json "err.${key}" names {${m[1]}}, which no call gives`);
    }
  }
  for (const [key] of found.keys) { // the two languages name the same parameters
    const names = (t) => [...new Set([...(t || '').matchAll(/\{([a-z0-9_]+)\}/g)].map((x) => x[1]))].sort().join(',');
    if (names(zh['err.' + key]) !== names(en['err.' + key]))
      bad.push(`"err.${key}" names {${names(zh['err.' + key])}} in zh-CN but {${names(en['err.' + key])}} in en`);
  }
  for (const msgs of [zh, en])
    for (const k of Object.keys(msgs))
      if (k.startsWith('err.') && !found.keys.has(k.slice(4))) bad.push(`"${k}" is translated but never sent`);
  const doc = render(found, zh, en);
  const path = join(root, 'docs/ERRORS.md');
  if (mode === '--write') writeFileSync(path, doc);
  else if (readFileSync(path, 'utf8') !== doc) bad.push('docs/ERRORS.md is stale: node scripts/errkeys.mjs --write');
  for (const b of [...new Set(bad)]) console.log(b);
  console.log(`${found.keys.size} keys, ${bad.length} problems`);
  process.exit(bad.length ? 1 : 0);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
