#!/usr/bin/env node
// SPDX-License-Identifier: MIT
// The layers of src/, checked: base → db → core → engine → modules → main.
//
// (a) The include graph (#include "…", resolved against the including file):
//     src/base     includes only src/base
//     src/db       src/base, src/db
//     src/core     src/base, src/db, src/core
//     src/engine   src/base, src/db, src/core, src/engine
//     src/modules/<m>/   src/base, src/db, src/core, src/engine, its own
//                  folder, and the public headers of other modules: every .h
//                  of another module's folder except one named internal.h
//     src/modules/modules.c, modules.h   the above and any module's public header
//     src/main.c   anything
// (b) The SQL: a table belongs to the module whose folder declares a
//     `struct res_entity` with that .name. A string literal (adjacent literals
//     joined, as the compiler joins them) that names a table after FROM, JOIN,
//     UPDATE or INTO (and the comma-separated tables after FROM) must not name
//     another module's table in src/modules/<m>/*.c: a module asks the owner
//     through its public header. src/core and src/engine read only the
//     platform's tables listed in PLATFORM below; src/base, src/db and
//     src/modules/modules.c name none. src/main.c is not checked. SQL keywords
//     are matched in capitals, as the code writes them.
// (c) Each violation is printed as "file:line: what"; the exit status is 1
//     when there is any, 0 otherwise.
//
// Usage: node scripts/layers.mjs [ROOT]   (default: the repository holding this script)
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(process.argv[2] || path.join(path.dirname(new URL(import.meta.url).pathname), '..'));
const src = path.join(root, 'src');

// Module tables the platform itself reads below the modules, and why:
//   tenants        the per-tenant settings cache (core/tenant.c), the audit
//                  chain's walk over tenants, migrations for every tenant
//   users, roles   sign-in and bearer tokens resolve a principal (core/auth.c),
//                  the first admin at bootstrap, role permissions (engine/perm.c),
//                  the actors' names of a timeline (engine/timeline.c)
//   api_tokens     bearer tokens (core/auth.c)
//   people         the principal's department (core/auth.c)
//   departments    a principal's department subtree for scopes (core/auth.c)
//   audit_entries  the hash-chained audit log (core/audit.c)
// Anything else a module declares is out of bounds for src/core and src/engine.
const PLATFORM = new Set(['tenants', 'users', 'roles', 'api_tokens', 'audit_entries', 'departments', 'people']);

const LOWER = ['base', 'db', 'core', 'engine'];
const ALLOWED = {
  base: ['base'],
  db: ['base', 'db'],
  core: ['base', 'db', 'core'],
  engine: ['base', 'db', 'core', 'engine'],
};

function walk(dir) {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p));
    else if (/\.[ch]$/.test(e.name)) out.push(p);
  }
  return out.sort();
}

const rel = (p) => path.relative(root, p).split(path.sep).join('/');

// The code with comments blanked (newlines kept), and its string literals:
// {text, at} with at the offset of the opening quote in the code. Character
// constants are skipped, so '"' opens no string.
function scan(text) {
  let code = '';
  const strings = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i], d = text[i + 1];
    if (c === '/' && d === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? text.length : end + 2;
      code += text.slice(i, stop).replace(/[^\n]/g, ' ');
      i = stop;
    } else if (c === '/' && d === '/') {
      let stop = text.indexOf('\n', i);
      if (stop < 0) stop = text.length;
      code += ' '.repeat(stop - i);
      i = stop;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < text.length && text[j] !== c && text[j] !== '\n') j += text[j] === '\\' ? 2 : 1;
      if (c === '"') strings.push({ text: text.slice(i + 1, j), at: code.length });
      code += text.slice(i, j + 1);
      i = j + 1;
    } else {
      code += c;
      i++;
    }
  }
  return { code, strings };
}

function lineAt(code, offset) {
  let n = 1;
  for (let i = 0; i < offset && i < code.length; i++) if (code.charCodeAt(i) === 10) n++;
  return n;
}

// Adjacent string literals (only white space between) as one text; each
// piece remembers where it starts in the joined text and in the code.
function joined(code, strings) {
  const groups = [];
  let g = null;
  for (const s of strings) {
    const quotedLen = s.text.length + 2;
    if (g) {
      const last = g.pieces[g.pieces.length - 1];
      const between = code.slice(last.at + last.len, s.at);
      if (/^\s*$/.test(between)) {
        g.pieces.push({ at: s.at, len: quotedLen, from: g.text.length });
        g.text += s.text;
        continue;
      }
    }
    g = { text: s.text, pieces: [{ at: s.at, len: quotedLen, from: 0 }] };
    groups.push(g);
  }
  return groups;
}

function offsetIn(g, pos) {
  let p = g.pieces[0];
  for (const q of g.pieces) if (q.from <= pos) p = q;
  return p.at;
}

// Tables named after FROM / JOIN / UPDATE / INTO (and after commas in a FROM
// list): [{table, pos}].
const KEYWORDS = new Set(['WHERE', 'ON', 'USING', 'SET', 'VALUES', 'SELECT', 'ORDER', 'GROUP', 'LIMIT', 'AS', 'LEFT', 'RIGHT', 'INNER', 'OUTER', 'CROSS', 'JOIN', 'UNION', 'HAVING', 'RETURNING', 'DEFAULT', 'EXCEPT', 'INTERSECT']);
function tablesIn(sql) {
  const out = [];
  const re = /\b(FROM|JOIN|UPDATE|INTO)\s+([A-Za-z_][A-Za-z0-9_]*)/g;
  let m;
  while ((m = re.exec(sql))) {
    out.push({ table: m[2], pos: m.index + m[0].length - m[2].length });
    if (m[1] !== 'FROM') continue;
    // FROM a x, b y, c: the tables after the commas
    let rest = sql.slice(re.lastIndex);
    let base = re.lastIndex;
    for (;;) {
      const t = /^(\s+(?:AS\s+)?([A-Za-z_][A-Za-z0-9_]*))?\s*,\s*([A-Za-z_][A-Za-z0-9_]*)/.exec(rest);
      if (!t || (t[2] && KEYWORDS.has(t[2]))) break;
      out.push({ table: t[3], pos: base + t[0].length - t[3].length });
      base += t[0].length;
      rest = rest.slice(t[0].length);
    }
  }
  return out;
}

// table -> owning module, from the res_entity declarations of src/modules/<m>/
function owners(files) {
  const own = new Map();
  for (const f of files) {
    const m = /^src\/modules\/([^/]+)\/[^/]+\.c$/.exec(rel(f));
    if (!m) continue;
    const { code } = scan(fs.readFileSync(f, 'utf8'));
    const re = /struct\s+res_entity\s+[A-Za-z_]\w*\s*=\s*\{/g;
    let d;
    while ((d = re.exec(code))) {
      // the initializer's own members: depth 1 of its braces
      let depth = 1, i = re.lastIndex, name = null;
      while (i < code.length && depth > 0) {
        const c = code[i];
        if (c === '"') {
          let j = i + 1;
          while (j < code.length && code[j] !== '"') j += code[j] === '\\' ? 2 : 1;
          i = j + 1;
          continue;
        }
        if (c === '{') depth++;
        else if (c === '}') depth--;
        else if (depth === 1 && name === null && c === '.') {
          const n = /^\.name\s*=\s*"([A-Za-z_]\w*)"/.exec(code.slice(i, i + 200));
          if (n) name = n[1];
        }
        i++;
      }
      if (name) {
        if (own.has(name) && own.get(name) !== m[1])
          problems.push(`${rel(f)}:${lineAt(code, d.index)}: table ${name} is declared by ${own.get(name)} and ${m[1]}`);
        own.set(name, m[1]);
      }
    }
  }
  return own;
}

// Where a file sits: {layer: base|db|core|engine|module|modules|main|other, module}
function place(r) {
  let m;
  if ((m = /^src\/(base|db|core|engine)\/[^/]+$/.exec(r))) return { layer: m[1] };
  if ((m = /^src\/modules\/([^/]+)\/[^/]+$/.exec(r))) return { layer: 'module', module: m[1] };
  if (/^src\/modules\/[^/]+$/.test(r)) return { layer: 'modules' };
  if (r === 'src/main.c') return { layer: 'main' };
  return { layer: 'other' };
}

const problems = [];
const files = walk(src);
const own = owners(files);
if (own.size === 0) problems.push('src/modules: no struct res_entity declarations found (nothing to check the SQL against)');

for (const f of files) {
  const r = rel(f);
  const text = fs.readFileSync(f, 'utf8');
  const { code, strings } = scan(text);
  const me = place(r);

  // (a) includes
  const inc = /^[ \t]*#[ \t]*include[ \t]*"([^"]+)"/gm;
  let m;
  while ((m = inc.exec(code))) {
    if (me.layer === 'main') break;
    const target = rel(path.resolve(path.dirname(f), m[1]));
    const to = place(target);
    const line = lineAt(code, m.index);
    let why = null;
    if (!target.startsWith('src/')) why = `includes ${m[1]}, which is outside src/`;
    else if (me.layer in ALLOWED) {
      if (!ALLOWED[me.layer].includes(to.layer))
        why = `src/${me.layer} may include only ${ALLOWED[me.layer].map((x) => 'src/' + x).join(', ')}: not ${target}`;
    } else if (me.layer === 'module' || me.layer === 'modules') {
      if (LOWER.includes(to.layer)) continue;
      if (to.layer === 'module' && to.module === me.module) continue;
      if (to.layer === 'modules' && me.layer === 'modules') continue;
      if (to.layer === 'module' && target.endsWith('.h') && path.basename(target) !== 'internal.h') continue;
      why = to.layer === 'module'
        ? `${target} is not a public header of module ${to.module}`
        : `a module may include src/base, src/db, src/core, src/engine, its own folder and other modules' public headers: not ${target}`;
    } else {
      why = `${r} is outside the known layers`;
    }
    if (why) problems.push(`${r}:${line}: ${why}`);
  }

  // (b) SQL
  if (me.layer === 'main' || !r.endsWith('.c')) continue;
  for (const g of joined(code, strings)) {
    for (const { table, pos } of tablesIn(g.text)) {
      const owner = own.get(table);
      if (!owner) continue;
      let why = null;
      if (me.layer === 'module') {
        if (owner !== me.module)
          why = `SQL names ${table}, a table of module ${owner}: ask ${owner} through its public header`;
      } else if (me.layer === 'core' || me.layer === 'engine') {
        if (!PLATFORM.has(table))
          why = `SQL names ${table}, a table of module ${owner}: src/${me.layer} reads only the platform's tables (${[...PLATFORM].join(', ')})`;
      } else {
        why = `SQL names ${table}, a table of module ${owner}`;
      }
      if (why) problems.push(`${r}:${lineAt(code, offsetIn(g, pos))}: ${why}`);
    }
  }
}

for (const p of problems) console.log(p);
process.exit(problems.length ? 1 : 0);
