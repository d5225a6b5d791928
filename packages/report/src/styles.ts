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
table.list{width:100%;border-collapse:separate;border-spacing:0;background:var(--card);border:1px solid var(--line);border-radius:8px}
table.list th,table.list td{padding:8px 10px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top;font-size:14px}
table.list th{background:#eef2f6;font-weight:600;white-space:nowrap;position:sticky;top:0;z-index:2}table.list th a{color:var(--fg)}
table.list td.ref,.ref{font-family:ui-monospace,"SFMono-Regular",Consolas,monospace;font-size:13px;white-space:nowrap}
table.list td.project{min-width:220px}
table.list tr:last-child td{border-bottom:0}table.list td.time{white-space:nowrap;color:var(--muted)}
table.list td .chip{margin:0 4px 4px 0}table.list td .chip.flag{white-space:normal}
.group-title{display:flex;align-items:baseline;gap:8px}.group-title small{color:var(--muted);font-weight:400}
.empty{color:var(--muted);padding:24px;text-align:center;background:var(--card);border:1px dashed var(--line);border-radius:8px}
section.box{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:4px 18px 14px;margin:0 0 16px}
table.fields{width:100%;border-collapse:collapse}
table.fields th{width:230px;color:var(--muted);font-weight:400;text-align:left;vertical-align:top;padding:6px 12px 6px 0;font-size:14px}
table.fields td{padding:6px 0;border-bottom:1px solid var(--line);white-space:pre-wrap;word-break:break-word}
table.fields tr.flagged td{background:var(--warn-bg)}table.fields td.none{color:#9aa5b1}
.title-line{display:flex;flex-wrap:wrap;align-items:center;gap:8px;margin:6px 0 4px}
.title-line h2{margin:0;font-size:21px}.sub{color:var(--muted);margin:0 0 12px}
ul.flags,ul.review-reasons{margin:6px 0;padding-left:20px}ul.flags li,ul.review-reasons li{margin:2px 0}small.review-why{color:var(--muted)}
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
header.top .who{font-size:14px;color:#dbe8f5}
.chip.warn{background:var(--warn-bg);color:var(--warn);border-color:#f7d9b5}.chip.corrected{background:#fff8c5;color:#7a5b00;border-color:#eedc82}
.chip.ocr{background:#eaf2fd;color:#0b5cad;border-color:#c3daf5;font-size:12px}.chip.ocr.low{background:var(--warn-bg);color:var(--warn);border-color:#f7d9b5}
.chip.state{background:#eef2f6}.chip.state.ok{background:var(--ok-bg);color:var(--ok)}.chip.state.warn{background:var(--warn-bg);color:var(--warn)}.chip.state.bad{background:var(--bad-bg);color:var(--bad)}
nav.tabs{display:flex;flex-wrap:wrap;gap:4px;margin:0 0 14px;border-bottom:2px solid var(--line)}
nav.tabs a{padding:6px 14px;border-radius:6px 6px 0 0;color:var(--muted);margin-bottom:-2px;border-bottom:2px solid transparent}
nav.tabs a b{margin-left:6px;font-weight:600;color:var(--fg)}nav.tabs a.active{color:var(--accent);border-bottom-color:var(--accent);background:var(--card)}
a.card{color:var(--fg)}a.card:hover{text-decoration:none;border-color:var(--accent)}
details.filters-box>summary{cursor:pointer;color:var(--muted);margin-bottom:6px}
form.search{display:flex;gap:8px;margin:0 0 8px}form.search input{flex:1;min-width:0;font:inherit;padding:6px 10px;border:1px solid #cbd2d9;border-radius:4px}
form.filters label.wide{flex:1 1 320px}form.filters label.wide input{width:100%}
nav.pager,p.pager{display:flex;flex-wrap:wrap;gap:12px;align-items:center;justify-content:center;margin:14px 0;color:var(--muted)}
tr.corrected td,table.fields tr.corrected td{background:#fffbe6}
.corrected-note{font-size:13px;color:#7a5b00;margin-top:4px}
details.edit{display:inline-block;margin-left:6px;font-size:13px}details.edit summary{cursor:pointer;color:var(--accent)}
details.edit form,form.decide,form.state,form.version{display:flex;flex-wrap:wrap;gap:6px 10px;align-items:flex-end;margin-top:6px}
details.edit textarea,details.edit input,form.decide input[name=why],form.version input[name=why],form.state textarea{font:inherit;font-size:14px;padding:4px 6px;border:1px solid #cbd2d9;border-radius:4px;min-width:220px;max-width:100%}
details.edit label,form.decide label,form.version label,form.state label{display:flex;flex-direction:column;font-size:13px;color:var(--muted);gap:2px}
fieldset{border:1px solid var(--line);border-radius:6px;padding:4px 10px;margin:0;display:flex;gap:12px;flex-wrap:wrap}fieldset legend{font-size:13px;color:var(--muted)}
fieldset label{flex-direction:row!important;align-items:center;gap:4px!important;color:var(--fg)!important;font-size:14px!important}
button{font:inherit;cursor:pointer;border:1px solid #cbd2d9;background:#fff;border-radius:4px;padding:4px 12px}
ol.history{margin:4px 0;padding-left:20px;font-size:14px}ol.history li{margin:2px 0}
.evidence figure.decision{flex:1 1 300px;max-width:100%}
.evidence figure.decision.notfound{border-color:#f5c6c1}.evidence figure.decision.undecided{border-color:#f7d9b5;background:var(--warn-bg)}
.evidence img{max-width:100%;max-height:none;width:auto}.crop-link{display:block}
.no-crop{color:var(--muted);font-size:13px;padding:18px;border:1px dashed var(--line);border-radius:6px;text-align:center}
dl.compare{display:grid;grid-template-columns:max-content 1fr;gap:2px 10px;margin:6px 0;font-size:14px}dl.compare dt{color:var(--muted)}dl.compare dd{margin:0;word-break:break-all}
.viewer .zoom-ctl>input{position:absolute;opacity:0;pointer-events:none}
.viewer .zoom-ctl>label{display:inline-block;padding:3px 10px;border:1px solid #cbd2d9;border-radius:4px;margin:0 6px 8px 0;cursor:pointer;font-size:14px}
.viewer .zoom-ctl>input:checked+label{background:var(--accent);color:#fff;border-color:var(--accent)}
.viewer .legend{font-size:13px;color:var(--muted);margin:0 0 8px}.key{display:inline-block;width:14px;height:10px;border:2px solid;margin:0 3px 0 10px;vertical-align:middle}
.key-seal{border-color:#d93025}.key-signature{border-color:#1a73e8}.key-searched{border-color:#e37400;border-style:dashed}.key-field{border-color:#188038}
.pages{overflow:auto;max-height:85vh;border:1px solid var(--line);border-radius:6px;background:#e9ecef;padding:8px}
.pages figure.page{margin:0 auto 12px;width:100%;max-width:820px}#zoom-2:checked~.pages figure.page,#zoom-3:checked~.pages figure.page{max-width:none}
#zoom-2:checked~.pages figure.page{width:200%}#zoom-3:checked~.pages figure.page{width:300%}
.sheet{position:relative;line-height:0;background:#fff;box-shadow:0 1px 3px rgba(0,0,0,.2)}
.sheet img{display:block;width:100%;height:auto}
.sheet svg.marks{position:absolute;inset:0;width:100%;height:100%;pointer-events:none}
rect.mark{fill:none;stroke-width:3}rect.mark-seal{stroke:#d93025}rect.mark-signature{stroke:#1a73e8}
rect.mark-searched{stroke:#e37400;stroke-dasharray:8 5;fill:rgba(227,116,0,.06)}rect.mark-field{stroke:#188038;stroke-width:1.5}
figure.page figcaption{font-size:13px;color:var(--muted);padding:4px 0;line-height:1.5}
pre.mail-text,.word-text pre{white-space:pre-wrap;word-break:break-word;font:inherit;background:#fafbfc;border:1px solid var(--line);border-radius:6px;padding:10px;max-height:70vh;overflow:auto}
.word-text table{border-collapse:collapse;width:100%;margin:6px 0}.word-text td{border:1px solid var(--line);padding:4px 6px;vertical-align:top;white-space:pre-wrap;word-break:break-word}
.word-text p{margin:4px 0;white-space:pre-wrap}
ul.flags.withdrawn li{color:var(--muted)}
section.problems{border-color:#f7d9b5}
@media (max-width:700px){
  .chip{white-space:normal}
  header.top{padding:8px 12px}header.top h1{font-size:15px}main{padding:12px 10px 40px}
  table.fields th{width:auto;display:block;padding-bottom:0}table.fields td{display:block}table.fields tr{display:block;border-bottom:1px solid var(--line)}
  table.list,table.list tbody,table.list tr,table.list td{display:block;width:100%}table.list thead{display:none}
  table.list tr{border-bottom:1px solid var(--line);padding:6px 0}table.list td{border:0;padding:2px 10px}
  table.list td[data-label]::before{content:attr(data-label) "：";color:var(--muted);font-size:12px}
  table.list td.project{min-width:0;font-size:15px}
  form.filters label,form.filters input,form.filters select{width:100%;min-width:0}.actions{margin-left:0}
  .card{min-width:0;flex:1 1 28%;padding:4px 8px}.card b{font-size:18px}.card span{font-size:12px}.evidence figure.decision{flex-basis:100%}
  details.edit textarea,details.edit input,form.decide input[name=why],form.version input[name=why],form.state textarea{min-width:0;width:100%}
  .pages{max-height:none}
  dl.kv{grid-template-columns:1fr}dl.kv dd{margin-bottom:6px}
}
`;
