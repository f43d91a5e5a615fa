import Foundation
import Mustache

/// The app's look: one stylesheet (served at `/static/style.css`, no CDN, no script), a page
/// layout, and Mustache templates, compiled once. `{{…}}` escapes HTML, so every piece of
/// ticket, draft or article text renders as text; only HTML the app made itself (cmark-gfm's
/// safe output, the reports) goes through `{{{…}}}`.
enum Templates {
    static let css = """
        :root{--fg:#1d2430;--muted:#5b6577;--bg:#f6f7fb;--card:#fff;--line:#e3e6ee;--accent:#2f6fdf;--good:#1f9d55;--bad:#d64545;--warn:#b07800;--add:#e6f6ec;--del:#fdecec}
        *{box-sizing:border-box}body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
        header{background:#182235;color:#fff;padding:10px 16px;display:flex;flex-wrap:wrap;align-items:center;gap:6px 18px}
        header a{color:#dfe6f5;text-decoration:none}header a:hover{text-decoration:underline}.brand{font-weight:700;color:#fff}
        header nav{display:flex;flex-wrap:wrap;gap:4px 14px;flex:1}.who{color:#b9c3d6;font-size:13px}
        main{max-width:1100px;margin:0 auto;padding:16px}
        section{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:14px 16px;margin:0 0 14px;overflow-wrap:anywhere}
        h1{font-size:21px;margin:0 0 8px}h2{font-size:17px;margin:0 0 10px}h3{font-size:15px;margin:12px 0 6px}
        .note{color:var(--muted);font-size:13px;margin:4px 0 10px}
        .cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(110px,1fr));gap:8px}
        .card{border:1px solid var(--line);border-radius:8px;padding:8px 10px;background:#fbfcff;color:inherit;text-decoration:none}
        .card .k{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.04em}.card .v{font-size:20px;font-weight:600}
        .card.on{border-color:var(--accent);box-shadow:0 0 0 1px var(--accent)}
        .tag{display:inline-block;font-size:11px;padding:1px 7px;border-radius:10px;background:#eef2fb;color:#33415c;margin:0 4px 2px 0;white-space:nowrap}
        .tag.proposal{background:#fff4d6;color:#7a5600}.tag.internal{background:#fdecec;color:#8a2020}.tag.good{background:#e3f6ea;color:#19683a}
        .state{font-weight:600;font-size:12px;padding:2px 8px;border-radius:10px;background:#eef2fb;white-space:nowrap}
        .state.approved,.state.published{background:#e3f6ea;color:#19683a}.state.rejected{background:#fdecec;color:#8a2020}.state.in_review{background:#fff4d6;color:#7a5600}
        .tablewrap{overflow-x:auto}
        table{border-collapse:collapse;width:100%;font-size:13px}th,td{text-align:left;padding:6px 8px;border-bottom:1px solid var(--line);vertical-align:top}
        th{color:var(--muted);font-weight:600;background:#fafbfd;white-space:nowrap}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
        a{color:var(--accent)}
        form.row{display:flex;flex-wrap:wrap;gap:8px;align-items:flex-end}form.inline{display:inline}
        label{display:block;font-size:12px;color:var(--muted);margin:0 0 2px}
        input[type=text],input[type=search],input[type=password],select,textarea{font:inherit;padding:6px 8px;border:1px solid #c9cfdc;border-radius:6px;background:#fff;max-width:100%}
        textarea{width:100%;min-height:340px;font:13px/1.45 ui-monospace,SFMono-Regular,Menlo,monospace}
        .grow{flex:1;min-width:180px}.grow input{width:100%}
        button{font:inherit;padding:6px 14px;border-radius:6px;border:1px solid var(--accent);background:var(--accent);color:#fff;cursor:pointer}
        button.secondary{background:#fff;color:var(--accent)}button.danger{background:var(--bad);border-color:var(--bad)}
        button.link{background:none;border:0;color:#dfe6f5;padding:0;text-decoration:underline}
        .actions{display:flex;flex-wrap:wrap;gap:10px;align-items:flex-end}.actions form{display:flex;flex-wrap:wrap;gap:6px;align-items:flex-end}
        .flash{background:#e3f6ea;border:1px solid #b9e4c8;padding:8px 12px;border-radius:8px}
        .error{background:#fdecec;border:1px solid #f3c0c0;padding:8px 12px;border-radius:8px}
        .verdict{font-weight:600}.verdict.no{color:var(--bad)}.verdict.yes{color:var(--good)}
        .hit{padding:8px 0;border-bottom:1px solid var(--line)}.hit:last-child{border:0}.hit .path{color:var(--muted);font-size:12px}
        .article{line-height:1.6}.article pre{background:#f3f5f9;padding:10px;border-radius:6px;overflow-x:auto}.article img{max-width:100%}
        .article table{width:auto}
        .ticket{border-left:3px solid var(--line);padding:4px 10px;margin:8px 0}.ticket .meta{color:var(--muted);font-size:12px}.ticket summary{cursor:pointer}
        .msg{white-space:pre-wrap;margin:4px 0}.msg b{font-weight:600;color:var(--muted);font-size:12px}
        .diff{font:12px/1.45 ui-monospace,SFMono-Regular,Menlo,monospace;width:100%;table-layout:fixed}.diff td{white-space:pre-wrap;border:0;padding:1px 6px;word-break:break-word}
        .diff td.del{background:var(--del)}.diff td.add{background:var(--add)}.diff td.hunk{color:var(--muted);background:#f3f5f9}
        .cols{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:14px}
        .wide{width:100%}.gap{margin-top:8px}pre.text{white-space:pre-wrap;font:12px/1.45 ui-monospace,SFMono-Regular,Menlo,monospace;background:#f3f5f9;padding:8px;border-radius:6px}
        @media (max-width:700px){main{padding:8px}section{padding:10px}.cols{grid-template-columns:1fr}textarea{min-height:240px}.hide-phone{display:none}}
        """

    static let layout = compile(
        """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
        <title>{{title}} · SupportKB</title><link rel="stylesheet" href="/static/style.css"></head>
        <body><header><a class="brand" href="/">SupportKB</a><nav>
        {{#editor}}<a href="/queue">Review queue</a>{{/editor}}<a href="/search">Search</a>{{#editor}}<a href="/gaps">Gaps</a><a href="/metrics">Metrics</a>{{/editor}}
        </nav><div class="who">{{#editor}}Signed in as {{editor}}{{#signOut}} · <form method="post" action="/logout" class="inline"><input type="hidden" name="_csrf" value="{{csrf}}"><button class="link">Sign out</button></form>{{/signOut}}{{/editor}}{{^editor}}<a href="/login">Sign in</a>{{/editor}}</div></header>
        <main>{{#flash}}<p class="flash">{{flash}}</p>{{/flash}}
        {{{content}}}
        </main></body></html>
        """)

    static let error = compile(
        """
        <section><h1>{{heading}}</h1><p class="error">{{message}}</p>{{#back}}<p><a href="{{back}}">Back</a></p>{{/back}}</section>
        """)

    static let login = compile(
        """
        <section><h1>Sign in</h1><p class="note">Editors sign in to review drafts and read tickets and internal articles.</p>
        {{#failed}}<p class="error">Wrong name or password.</p>{{/failed}}
        <form method="post" action="/login" class="row"><input type="hidden" name="next" value="{{next}}">
        <div><label for="name">Name</label><input type="text" id="name" name="name" autocomplete="username" required></div>
        <div><label for="password">Password</label><input type="password" id="password" name="password" autocomplete="current-password" required></div>
        <button>Sign in</button></form></section>
        """)

    static let queue = compile(
        """
        <section><h1>Review queue</h1><div class="cards">
        <a class="card{{#allOn}} on{{/allOn}}" href="/queue{{#categoryQuery}}?category={{categoryQuery}}{{/categoryQuery}}"><div class="k">all</div><div class="v">{{total}}</div></a>
        {{#states}}<a class="card{{#on}} on{{/on}}" href="/queue?status={{status}}{{#categoryQuery}}&amp;category={{categoryQuery}}{{/categoryQuery}}"><div class="k">{{label}}</div><div class="v">{{count}}</div></a>{{/states}}
        </div>
        <form method="get" action="/queue" class="row gap"><input type="hidden" name="status" value="{{status}}">
        <div><label for="category">Category</label><select id="category" name="category"><option value="">All categories</option>{{#categories}}<option value="{{name}}"{{#selected}} selected{{/selected}}>{{name}}</option>{{/categories}}</select></div>
        <button class="secondary">Filter</button></form></section>
        <section><div class="tablewrap"><table><thead><tr><th>Draft</th><th>State</th><th class="hide-phone">Priority</th><th class="num">Tickets</th><th>Flags</th><th class="num hide-phone">Age (days)</th></tr></thead><tbody>
        {{#drafts}}<tr><td><a href="/drafts/{{id}}">{{title}}</a><div class="note">{{category}}</div></td><td><span class="state {{status}}">{{status}}</span></td><td class="hide-phone">{{priority}}</td><td class="num">{{ticketCount}}</td>
        <td>{{#hasProposal}}<span class="tag proposal">proposal waiting</span>{{/hasProposal}}{{#edited}}<span class="tag">edited</span>{{/edited}}{{#flags}}<span class="tag">{{.}}</span>{{/flags}}</td><td class="num hide-phone">{{age}}</td></tr>{{/drafts}}
        {{^drafts}}<tr><td colspan="6">No drafts{{#status}} in state {{status}}{{/status}}.</td></tr>{{/drafts}}
        </tbody></table></div></section>
        {{#hasProblems}}<section><h2>Unreadable drafts</h2><ul>{{#problems}}<li>{{.}}</li>{{/problems}}</ul></section>{{/hasProblems}}
        """)

    static let search = compile(
        """
        <section><h1>Search</h1><form method="get" action="/search" class="row">
        <div class="grow"><label for="q">Question</label><input type="search" id="q" name="q" value="{{query}}" autofocus></div>
        <div><label for="category">Category</label><input type="text" id="category" name="category" value="{{category}}" size="12"></div>
        <div><label for="tag">Tag</label><input type="text" id="tag" name="tag" value="{{tag}}" size="10"></div>
        {{#editor}}<div><label for="audience">Audience</label><select id="audience" name="audience">{{#audiences}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{value}}</option>{{/audiences}}</select></div>{{/editor}}
        <div><label for="mode">Ranking</label><select id="mode" name="mode">{{#modes}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{value}}</option>{{/modes}}</select></div>
        <button>Search</button></form></section>
        {{#problem}}<section><p class="error">{{problem}}</p></section>{{/problem}}
        {{#searched}}<section>
        {{#verdict}}<p class="verdict {{verdictClass}}">{{verdict}}</p>{{/verdict}}
        {{#hits}}<div class="hit"><a href="/articles/{{href}}"><b>{{title}}</b></a> <span class="tag">{{category}}</span>{{^external}}<span class="tag internal">internal</span>{{/external}}{{#confident}}<span class="tag good">answers</span>{{/confident}}
        <div class="path">{{path}}{{#answerScore}} · answer score {{answerScore}}{{/answerScore}}</div>{{#heading}}<div class="note">{{heading}}</div>{{/heading}}<div>{{snippet}}</div></div>{{/hits}}
        {{^hits}}<p>No results.</p>{{/hits}}</section>{{/searched}}
        """)

    static let article = compile(
        """
        <section><p class="note"><a href="/search">Search</a> › {{category}}</p><h1>{{title}}</h1>
        <p>{{^external}}<span class="tag internal">internal</span>{{/external}}{{#tags}}<span class="tag">{{.}}</span>{{/tags}}{{#updated}}<span class="note">Updated {{updated}}</span>{{/updated}}</p>
        <div class="article">{{{html}}}</div><p class="note">{{path}}</p></section>
        """)

    static func compile(_ text: String) -> MustacheTemplate {
        do { return try MustacheTemplate(string: text) } catch { fatalError("template does not compile: \(error)") }
    }
}
