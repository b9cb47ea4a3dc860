// SPDX-License-Identifier: MIT
// bench/file-photo.js - files N service requests with one photo each, as a staff member's browser
// would: upload the photo, then create the request naming it. Prints one line per filing: the
// microseconds from the upload's start to the create's answer. Used by bench/servicedesk.sh.
//   node bench/file-photo.js BASE COOKIE CSRF TYPE_ID PHOTO N
'use strict';
const fs = require('node:fs');

const [base, cookie, csrf, typeId, photo, n] = process.argv.slice(2);
const body = fs.readFileSync(photo);
const headers = { Cookie: cookie, 'X-CSRF-Token': csrf };

(async () => {
    for (let i = 0; i < Number(n); i++) {
        const t0 = process.hrtime.bigint();
        let r = await fetch(`${base}/api/v1/files/upload?name=p${i}.jpg`, {
            method: 'POST', headers: { ...headers, 'Content-Type': 'image/jpeg' }, body,
        });
        const f = await r.json();
        if (r.status !== 201) throw new Error(`upload: ${r.status} ${JSON.stringify(f)}`);
        r = await fetch(`${base}/api/v1/service_requests`, {
            method: 'POST',
            headers: { ...headers, 'Content-Type': 'application/json' },
            body: JSON.stringify({ title: `漏水 ${i}`, type_id: Number(typeId), description: '压测', building: '区委大院', photos: [f.id] }),
        });
        const q = await r.json();
        if (r.status !== 201) throw new Error(`create: ${r.status} ${JSON.stringify(q)}`);
        console.log(Number((process.hrtime.bigint() - t0) / 1000n));
    }
})().catch((e) => {
    console.error(e.message);
    process.exit(1);
});
