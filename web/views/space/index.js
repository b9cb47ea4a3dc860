// space pages: registered here (see ../servicedesk/index.js for the pattern).
export {};
