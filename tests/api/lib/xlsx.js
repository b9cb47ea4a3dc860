// SPDX-License-Identifier: MIT
// xlsx.js - reads back the workbooks the server writes, with node:zlib only:
// the zip entries, and each sheet's cells with their type, value and number
// format, so a test can tell a number cell from text and see "#,##0.00".
//
//   const x = require('./lib/xlsx');
//   const book = x.read(buffer);          // {sheets: Map(name -> sheet), entries}
//   const s = book.sheets.get('人员');    // {cells: Map('B2' -> cell), rows: [[cell|undefined…]…]}
//   s.cells.get('B2')                     // {ref, type: 'n'|'s'|'str'|'b'…, value, text, format}
//   x.serialToDate(45678.5)               // {y, m, d, hh, mm, ss} of an Excel date serial
'use strict';

const assert = require('node:assert/strict');
const zlib = require('node:zlib');

// The entries of a zip file: name -> Buffer (stored or deflated).
function unzip(buf) {
    let eocd = -1;
    for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65557); i--)
        if (buf.readUInt32LE(i) === 0x06054b50) {
            eocd = i;
            break;
        }
    assert.ok(eocd >= 0, 'zip: no end of central directory');
    let n = buf.readUInt16LE(eocd + 10);
    let off = buf.readUInt32LE(eocd + 16);
    if (off === 0xffffffff || n === 0xffff) {
        const loc = eocd - 20;
        assert.equal(buf.readUInt32LE(loc), 0x07064b50, 'zip64 locator');
        const z = Number(buf.readBigUInt64LE(loc + 8));
        assert.equal(buf.readUInt32LE(z), 0x06064b50, 'zip64 end record');
        n = Number(buf.readBigUInt64LE(z + 32));
        off = Number(buf.readBigUInt64LE(z + 48));
    }
    const out = new Map();
    for (let k = 0; k < n; k++) {
        assert.equal(buf.readUInt32LE(off), 0x02014b50, 'zip: central directory entry');
        const method = buf.readUInt16LE(off + 10);
        let csize = buf.readUInt32LE(off + 20);
        let usize = buf.readUInt32LE(off + 24);
        const nlen = buf.readUInt16LE(off + 28), xlen = buf.readUInt16LE(off + 30), clen = buf.readUInt16LE(off + 32);
        let lho = buf.readUInt32LE(off + 42);
        const name = buf.toString('utf8', off + 46, off + 46 + nlen);
        // zip64 extra field: the 0xffffffff values, in order
        let x = off + 46 + nlen;
        const xend = x + xlen;
        while (x + 4 <= xend) {
            const id = buf.readUInt16LE(x), sz = buf.readUInt16LE(x + 2);
            if (id === 1) {
                let p = x + 4;
                if (usize === 0xffffffff) { usize = Number(buf.readBigUInt64LE(p)); p += 8; }
                if (csize === 0xffffffff) { csize = Number(buf.readBigUInt64LE(p)); p += 8; }
                if (lho === 0xffffffff) { lho = Number(buf.readBigUInt64LE(p)); p += 8; }
            }
            x += 4 + sz;
        }
        assert.equal(buf.readUInt32LE(lho), 0x04034b50, `zip: local header of ${name}`);
        const data0 = lho + 30 + buf.readUInt16LE(lho + 26) + buf.readUInt16LE(lho + 28);
        const raw = buf.subarray(data0, data0 + csize);
        const data = method === 0 ? raw : zlib.inflateRawSync(raw);
        assert.equal(data.length, usize, `zip: size of ${name}`);
        out.set(name, data);
        off += 46 + nlen + xlen + clen;
    }
    return out;
}

function unescapeXml(s) {
    return s.replace(/&(lt|gt|amp|quot|apos|#x[0-9a-fA-F]+|#\d+);/g, (m, e) => {
        switch (e) {
        case 'lt': return '<';
        case 'gt': return '>';
        case 'amp': return '&';
        case 'quot': return '"';
        case 'apos': return "'";
        default: return String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : Number(e.slice(1)));
        }
    });
}

// The text of an <si> or <is> element: its <t> runs joined.
function runs(xml) {
    return [...xml.matchAll(/<t(?: [^>]*)?>([\s\S]*?)<\/t>/g)].map((m) => unescapeXml(m[1])).join('');
}

// Built-in number formats a workbook may name by id alone.
const BUILTIN = { 0: 'General', 1: '0', 2: '0.00', 3: '#,##0', 4: '#,##0.00', 9: '0%', 10: '0.00%', 14: 'm/d/yy', 22: 'm/d/yy h:mm' };

function colIndex(ref) {
    let n = 0;
    for (const c of ref.match(/^[A-Z]+/)[0]) n = n * 26 + c.charCodeAt(0) - 64;
    return n - 1;
}

function read(buf) {
    const z = unzip(buf);
    const text = (name) => (z.get(name) || Buffer.alloc(0)).toString('utf8');
    const shared = [...text('xl/sharedStrings.xml').matchAll(/<si>([\s\S]*?)<\/si>/g)].map((m) => runs(m[1]));
    const styles = text('xl/styles.xml');
    const fmts = { ...BUILTIN };
    for (const m of styles.matchAll(/<numFmt numFmtId="(\d+)" formatCode="([^"]*)"\/>/g)) fmts[m[1]] = unescapeXml(m[2]);
    const xfsXml = (styles.match(/<cellXfs[^>]*>([\s\S]*?)<\/cellXfs>/) || [, ''])[1];
    const xfs = [...xfsXml.matchAll(/<xf ([^>]*?)\/?>/g)].map((m) => {
        const id = (m[1].match(/numFmtId="(\d+)"/) || [, '0'])[1];
        return fmts[id] ?? `#${id}`;
    });
    // sheet names -> files, through the workbook's relationships
    const rels = new Map([...text('xl/_rels/workbook.xml.rels').matchAll(/<Relationship ([^>]*?)\/>/g)]
        .map((m) => [m[1].match(/Id="([^"]+)"/)[1], m[1].match(/Target="([^"]+)"/)[1]]));
    const sheets = new Map();
    for (const m of text('xl/workbook.xml').matchAll(/<sheet ([^>]*?)\/>/g)) {
        const name = unescapeXml(m[1].match(/name="([^"]*)"/)[1]);
        const rid = m[1].match(/r:id="([^"]*)"/)[1];
        const target = rels.get(rid);
        const xml = text('xl/' + target.replace(/^\/?xl\//, ''));
        const cells = new Map();
        const rows = [];
        for (const c of xml.matchAll(/<c r="([A-Z]+)(\d+)"([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
            const attrs = c[3], body = c[4] || '';
            const type = (attrs.match(/ t="([^"]*)"/) || [, 'n'])[1];
            const s = Number((attrs.match(/ s="(\d+)"/) || [, '0'])[1]);
            const v = (body.match(/<v>([\s\S]*?)<\/v>/) || [])[1];
            let value;
            if (type === 's') value = shared[Number(v)];
            else if (type === 'inlineStr') value = runs(body);
            else if (type === 'str') value = v === undefined ? '' : unescapeXml(v);
            else if (type === 'b') value = v === '1';
            else value = v === undefined ? undefined : Number(v);
            const cell = { ref: c[1] + c[2], type: type === 'inlineStr' || type === 'str' ? 's' : type, value, text: v, format: xfs[s] ?? 'General' };
            cells.set(cell.ref, cell);
            const r = Number(c[2]) - 1;
            (rows[r] ||= [])[colIndex(c[1])] = cell;
        }
        sheets.set(name, { cells, rows });
    }
    return { sheets, entries: z };
}

// An Excel date serial (days since 1899-12-30, the fraction the time of day)
// as its calendar fields, to the second.
function serialToDate(x) {
    const secs = Math.round(x * 86400);
    const d = new Date(Date.UTC(1899, 11, 30) + secs * 1000);
    return { y: d.getUTCFullYear(), m: d.getUTCMonth() + 1, d: d.getUTCDate(), hh: d.getUTCHours(), mm: d.getUTCMinutes(), ss: d.getUTCSeconds() };
}

module.exports = { unzip, read, serialToDate };
