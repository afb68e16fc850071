/**
 * baseStylesheet is the rules every service UI shares (cards, tables, forms, notices and errors,
 * the nav's logout button), so the platform's pages look alike. A UI serves it first in its own
 * stylesheet and adds its colours and widths after it (later rules win).
 */
export const baseStylesheet = `/* mcdsl base */
nav form { margin: 0; }
nav button { background: none; border: 1px solid #fff; border-radius: 4px; cursor: pointer; }
section { background: #fff; border: 1px solid #d8dde3; border-radius: 6px; padding: 0.8rem 1.2rem; margin-bottom: 1rem; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.2rem 1.2rem; }
dd { margin: 0; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 0.3rem 0.5rem; border-bottom: 1px solid #e3e6ea; vertical-align: top; }
input, select, textarea, button { font: inherit; }
.notice { background: #e7f5ea; border: 1px solid #9dd3a8; padding: 0.5rem 0.8rem; border-radius: 4px; }
.error { background: #fdecea; border: 1px solid #f5a9a1; padding: 0.5rem 0.8rem; border-radius: 4px; }
.muted { color: #69737d; }
.inline { display: inline; }
code { word-break: break-all; }
`;
