/** The report's stylesheet: one for the web view (served) and the static file (inlined). */
export const REPORT_CSS = `
:root{--fg:#1f2933;--muted:#616e7c;--line:#e4e7eb;--bg:#f7f8fa;--card:#fff;--accent:#0b5cad;--warn:#b44d12;--warn-bg:#fff4e5;--ok:#1d7a46;--ok-bg:#e6f6ec;--bad:#b42318;--bad-bg:#fdecea}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.65 "PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC","Source Han Sans SC","WenQuanYi Micro Hei",system-ui,sans-serif}
a{color:var(--accent);text-decoration:none}a:hover{text-decoration:underline}
header.top{background:#12355b;color:#fff;padding:10px 24px;display:flex;align-items:center;gap:16px;flex-wrap:wrap}
header.top h1{font-size:17px;margin:0;font-weight:600;flex:1}header.top a{color:#dbe8f5}header.top h1 a{color:#fff}
header.top form{margin:0}header.top button{background:transparent;border:1px solid #7fa3c7;color:#dbe8f5;border-radius:4px;padding:2px 10px;cursor:pointer}
main{max-width:1400px;margin:0 auto;padding:20px 24px 48px}
h2{font-size:18px;margin:28px 0 10px}h3{font-size:16px;margin:20px 0 8px}
.cards{display:flex;flex-wrap:wrap;gap:10px;margin:0 0 12px}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:8px 14px;min-width:110px}
.card b{display:block;font-size:22px;line-height:1.2}.card span{color:var(--muted);font-size:13px}
.counts{display:flex;flex-wrap:wrap;gap:6px;margin:4px 0 14px}
.chip{display:inline-block;border-radius:999px;padding:1px 10px;font-size:13px;background:#eef2f6;color:var(--fg);border:1px solid var(--line);white-space:nowrap}
.chip.flag{background:var(--warn-bg);color:var(--warn);border-color:#f7d9b5}.chip.ok{background:var(--ok-bg);color:var(--ok);border-color:#bfe5cc}
.chip.bad{background:var(--bad-bg);color:var(--bad);border-color:#f5c6c1}.chip.old{background:#f0f0f0;color:var(--muted)}
a.chip:hover{text-decoration:none;filter:brightness(.96)}
form.filters{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:12px 14px;display:flex;flex-wrap:wrap;gap:10px 14px;align-items:flex-end;margin-bottom:16px}
form.filters label{display:flex;flex-direction:column;font-size:13px;color:var(--muted);gap:2px}
form.filters input,form.filters select{font:inherit;font-size:14px;padding:4px 6px;border:1px solid #cbd2d9;border-radius:4px;min-width:120px;background:#fff}
form.filters label.check{flex-direction:row;align-items:center;gap:6px;color:var(--fg)}
form.filters label.check input{min-width:0}
button.primary{font:inherit;background:var(--accent);color:#fff;border:0;border-radius:4px;padding:6px 16px;cursor:pointer}
.actions{margin-left:auto;display:flex;gap:10px;align-items:center}
table.list{width:100%;border-collapse:collapse;background:var(--card);border:1px solid var(--line);border-radius:8px;overflow:hidden}
table.list th,table.list td{padding:8px 10px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top;font-size:14px}
table.list th{background:#eef2f6;font-weight:600;white-space:nowrap}
table.list tr:last-child td{border-bottom:0}table.list td.time{white-space:nowrap;color:var(--muted)}
table.list td .chip{margin:0 4px 4px 0}
.group-title{display:flex;align-items:baseline;gap:8px}.group-title small{color:var(--muted);font-weight:400}
.empty{color:var(--muted);padding:24px;text-align:center;background:var(--card);border:1px dashed var(--line);border-radius:8px}
section.box{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:4px 18px 14px;margin:0 0 16px}
table.fields{width:100%;border-collapse:collapse}
table.fields th{width:230px;color:var(--muted);font-weight:400;text-align:left;vertical-align:top;padding:6px 12px 6px 0;font-size:14px}
table.fields td{padding:6px 0;border-bottom:1px solid var(--line);white-space:pre-wrap;word-break:break-word}
table.fields tr.flagged td{background:var(--warn-bg)}table.fields td.none{color:#9aa5b1}
.title-line{display:flex;flex-wrap:wrap;align-items:center;gap:8px;margin:6px 0 4px}
.title-line h2{margin:0;font-size:21px}.sub{color:var(--muted);margin:0 0 12px}
ul.flags{margin:6px 0;padding-left:20px}ul.flags li{margin:2px 0}
.evidence{display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start}
.evidence figure{margin:0;background:#fafbfc;border:1px solid var(--line);border-radius:8px;padding:10px;min-width:220px}
.evidence img{display:block;max-width:320px;max-height:240px;border-radius:4px;background:#fff}
.evidence figcaption{font-size:14px;margin-top:6px}
ul.files{list-style:none;padding:0;margin:6px 0}ul.files li{padding:3px 0}ul.files small{color:var(--muted)}
dl.kv{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:8px 0}dl.kv dt{color:var(--muted)}dl.kv dd{margin:0;white-space:pre-wrap;word-break:break-word}
.login{max-width:360px;margin:12vh auto;background:var(--card);border:1px solid var(--line);border-radius:10px;padding:24px 28px}
.login h1{font-size:18px;margin:0 0 16px}.login input{width:100%;font:inherit;padding:6px 8px;margin:4px 0 14px;border:1px solid #cbd2d9;border-radius:4px}
.error{color:var(--bad);background:var(--bad-bg);padding:6px 10px;border-radius:4px;margin-bottom:12px}
details.others{margin-top:28px}details.others summary{cursor:pointer;font-weight:600;margin-bottom:10px}
footer{color:var(--muted);font-size:13px;text-align:center;margin-top:32px}
`;
