// bench/kit.mjs - the module kit's figures (issue 11), read from the source: lines of each
// module's workflow and rules files now and at a base commit, the longest functions, what a
// collection and a declared step cost in lines, and (when the `duplicates` tool is on PATH)
// the copied regions of six or more lines in src/. Nothing is asserted.
//
//   node bench/kit.mjs [BASE]   (BASE: the commit before the kit, default 715c024)
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const base = process.argv[2] || '715c024';
const src = path.join(root, 'src');

function git(...args) {
    try {
        return execFileSync('git', ['-C', root, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    } catch {
        return null;
    }
}
const lines = (text) => (text === null ? null : text.split('\n').length - (text.endsWith('\n') ? 1 : 0));
const now = (p) => (fs.existsSync(path.join(root, p)) ? lines(fs.readFileSync(path.join(root, p), 'utf8')) : null);
const then = (p) => lines(git('show', `${base}:${p}`));
const sum = (xs) => xs.reduce((a, b) => a + (b || 0), 0);

// ---- 1. workflow and rules files, before and after ----
const flows = {
    fleet: { before: ['workflow.c'], after: ['workflow.c', 'hooks.c', 'slip.c'] },
    servicedesk: { before: ['workflow.c', 'sla.c'], after: ['workflow.c', 'filing.c', 'events.c', 'teams.c', 'sla.c'] },
    space: { before: ['workflow.c', 'rules.c'], after: ['workflow.c', 'rules.c'] },
};
console.log(`workflow and rules files (lines; before = ${base})`);
let tb = 0, ta = 0;
for (const [m, f] of Object.entries(flows)) {
    const b = sum(f.before.map((x) => then(`src/modules/${m}/${x}`)));
    const a = sum(f.after.map((x) => now(`src/modules/${m}/${x}`)));
    const eb = then(`src/modules/${m}/entities.c`), ea = now(`src/modules/${m}/entities.c`);
    tb += b; ta += a;
    console.log(`  ${m.padEnd(12)} ${String(b).padStart(5)} -> ${String(a).padStart(5)}   (entities.c ${eb} -> ${ea}; after: ${f.after.join(', ')})`);
}
console.log(`  ${'total'.padEnd(12)} ${String(tb).padStart(5)} -> ${String(ta).padStart(5)}   (${Math.round((100 * (ta - tb)) / tb)} %)`);

// ---- 2. the longest functions ----
// A function: a line that is exactly "{" after its signature, to the next line that is exactly "}".
function functions(files) {
    const out = [];
    for (const [file, text] of files) {
        const L = text.split('\n');
        let start = null;
        for (let i = 0; i < L.length; i++) {
            if (L[i] === '{' && i > 0) {
                let j = i - 1;
                while (j > 0 && !/^[A-Za-z_]/.test(L[j])) j--;
                const m = /(\w+)\s*\(/.exec(L[j]);
                start = [i, m ? m[1] : '?'];
            } else if (L[i] === '}' && start) {
                out.push({ n: i - start[0] + 1, file, name: start[1] });
                start = null;
            }
        }
    }
    return out.sort((a, b) => b.n - a.n);
}
function cFilesNow(dir) {
    const out = [];
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) out.push(...cFilesNow(p));
        else if (e.name.endsWith('.c')) out.push([path.relative(root, p), fs.readFileSync(p, 'utf8')]);
    }
    return out;
}
function cFilesThen() {
    const list = git('ls-tree', '-r', '--name-only', base, 'src');
    if (!list) return null;
    return list.split('\n').filter((p) => p.endsWith('.c')).map((p) => [p, git('show', `${base}:${p}`) || '']);
}
function report(label, files) {
    if (!files) {
        console.log(`  ${label}: (commit not in this clone)`);
        return;
    }
    const f = functions(files);
    const over = (k) => f.filter((x) => x.n > k).length;
    console.log(`  ${label}: ${f.length} functions, ${over(100)} over 100 lines, ${over(60)} over 60; longest:`);
    for (const x of f.slice(0, 6)) console.log(`    ${String(x.n).padStart(4)}  ${x.name} (${x.file})`);
}
console.log('\nlongest functions in src/');
report(`before (${base})`, cFilesThen());
report('now', cFilesNow(src));

// ---- 3. what a collection and a declared step cost ----
const entityCosts = [], stepCosts = [];
for (const m of fs.readdirSync(path.join(src, 'modules'))) {
    const p = path.join(src, 'modules', m, 'entities.c');
    if (!fs.existsSync(p)) continue;
    const text = fs.readFileSync(p, 'utf8');
    // each "static const struct res_field NAME[] = {...};" and the entity that names it
    const entities = [...text.matchAll(/^const struct res_entity \w+ = \{\n[\s\S]*?\n\};/gm)].map((x) => x[0]);
    for (const fm of text.matchAll(/static const struct res_field (\w+)\[\] = \{\n([\s\S]*?)\n\};/g)) {
        const [all, name, body] = fm;
        const ent = entities.find((x) => new RegExp(`\\.fields = ${name}\\b`).test(x));
        if (!ent) continue; // a step's body, not a collection
        const fields = (body.match(/\.name = "/g) || []).length;
        entityCosts.push({ lines: lines(all) + lines(ent), fields });
    }
    // each declared step (no .fn) of a res_action table
    for (const am of text.matchAll(/static const struct res_action \w+\[\] = \{\n([\s\S]*?)\n\};/g)) {
        for (const st of am[1].split(/\n(?=    \{)/)) {
            if (!/\.name = "/.test(st) || /\.fn = /.test(st)) continue;
            stepCosts.push(lines(st));
        }
    }
}
const median = (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length ? s[Math.floor(s.length / 2)] : 0;
};
console.log('\ncost in lines (src/modules/*/entities.c)');
console.log(`  a collection (fields table + entity): median ${median(entityCosts.map((x) => x.lines))} lines, ` +
    `median ${median(entityCosts.map((x) => x.fields))} fields (${entityCosts.length} collections)`);
console.log(`  a declared step: ${stepCosts.length} steps in ${sum(stepCosts)} lines, ` +
    `${(sum(stepCosts) / Math.max(1, stepCosts.length)).toFixed(1)} a step`);

// ---- 4. copied regions ----
console.log('\ncopied regions of 6+ lines in src/ (goal: fewer than half of the count before the kit)');
function duplicates(dir) {
    try {
        const out = execFileSync('duplicates', ['--repo', dir, '--most', '1', '--seconds', '120'], { encoding: 'utf8' });
        return out.split('\n')[0];
    } catch {
        return null;
    }
}
const nowDup = duplicates(src);
if (!nowDup) {
    console.log('  (the duplicates tool is not on PATH: not measured)');
} else {
    const tmp = fs.mkdtempSync('/tmp/bureau-kit-');
    const wt = path.join(tmp, 'base');
    const thenDup = git('worktree', 'add', '--detach', wt, base) !== null ? duplicates(path.join(wt, 'src')) : null;
    git('worktree', 'remove', '--force', wt);
    fs.rmSync(tmp, { recursive: true, force: true });
    const count = (s) => (s ? Number(/^(\d+) pairs/.exec(s)?.[1]) : NaN);
    const shape = (s) => Number(/\((\d+) by shape/.exec(s)?.[1] || 0);
    const boiler = (s) => Number(/(\d+) of those marked boilerplate/.exec(s)?.[1] || 0);
    console.log(`  before: ${thenDup || '(commit not in this clone)'}`);
    console.log(`  now:    ${nowDup}`);
    if (thenDup) {
        const [b, a] = [count(thenDup), count(nowDup)];
        console.log(`  pairs ${b} -> ${a} (${Math.round((100 * (a - b)) / b)} %; goal < ${Math.ceil(b / 2)}: ${a < b / 2 ? 'ok' : 'MISSED'})`);
        const same = (s) => count(s) - shape(s);
        console.log(`  of them the same to the letter: ${same(thenDup)} -> ${same(nowDup)}; ` +
            `same shape, not boilerplate: ${shape(thenDup) - boiler(thenDup)} -> ${shape(nowDup) - boiler(nowDup)}; ` +
            `boilerplate (declarations, hook prologues): ${boiler(thenDup)} -> ${boiler(nowDup)}`);
    }
}
