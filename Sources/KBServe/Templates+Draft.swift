import Mustache

/// The draft page and the conflict page.
extension Templates {
    static let draft = compile(
        """
        <section><p class="note"><a href="/queue">Review queue</a> › {{id}}</p>
        <h1>{{title}}</h1>
        <p><span class="state {{status}}">{{status}}</span> {{#hasProposal}}<span class="tag proposal">proposal waiting</span>{{/hasProposal}}{{#edited}}<span class="tag">edited</span>{{/edited}}{{#flags}}<span class="tag">{{.}}</span>{{/flags}}</p>
        <p class="note">{{category}} · priority {{priority}} · {{ticketCount}} source tickets · {{audience}}{{#publishedPath}} · published as <a href="/articles/{{publishedPath}}">{{publishedPath}}</a>{{/publishedPath}}</p>
        <div class="actions">
        {{#canStart}}<form method="post" action="/drafts/{{id}}/start">{{> hidden}}<button>Start review</button></form>{{/canStart}}
        {{#canApprove}}<form method="post" action="/drafts/{{id}}/approve">{{> hidden}}<button>Approve</button></form>{{/canApprove}}
        {{#canPublish}}<form method="post" action="/drafts/{{id}}/publish">{{> hidden}}<div><label for="audience">Audience</label><select id="audience" name="audience"><option value="internal"{{^external}} selected{{/external}}>internal (agents)</option><option value="external"{{#external}} selected{{/external}}>external (customers)</option></select></div><button>Publish</button></form>{{/canPublish}}
        {{#canReopen}}<form method="post" action="/drafts/{{id}}/reopen">{{> hidden}}<button class="secondary">Reopen</button></form>{{/canReopen}}
        {{#canReject}}<form method="post" action="/drafts/{{id}}/reject">{{> hidden}}<div><label for="reason">Reason</label><input type="text" id="reason" name="reason" required placeholder="why it is rejected"></div><button class="danger">Reject</button></form>{{/canReject}}
        </div>{{#rejectedReason}}<p class="note">Rejected: {{rejectedReason}}</p>{{/rejectedReason}}</section>
        {{#hasProposal}}<section id="proposal"><h2>A new version is proposed</h2><p class="note">Generated from the tickets since this draft was edited or moved on; left: the draft, right: the proposal (state and review log are kept either way).</p>
        <div class="tablewrap"><table class="diff"><tbody>{{#diff}}<tr>{{#hunk}}<td class="hunk" colspan="2">{{hunk}}</td>{{/hunk}}{{^hunk}}<td class="{{leftClass}}">{{left}}</td><td class="{{rightClass}}">{{right}}</td>{{/hunk}}</tr>{{/diff}}</tbody></table></div>
        <div class="actions gap"><form method="post" action="/drafts/{{id}}/accept">{{> hidden}}<button>Accept the proposal</button></form><form method="post" action="/drafts/{{id}}/discard">{{> hidden}}<button class="secondary">Discard it</button></form></div></section>{{/hasProposal}}
        <div class="cols"><section><h2>Article</h2><div class="article">{{{html}}}</div></section>
        <section><h2>Edit</h2>{{#editable}}<form method="post" action="/drafts/{{id}}/save">{{> hidden}}
        <label for="title">Title</label><input type="text" id="title" name="title" value="{{title}}" class="wide">
        <label for="categoryField" class="gap">Category</label><input type="text" id="categoryField" name="category" value="{{category}}">
        <label for="body" class="gap">Markdown</label><textarea id="body" name="body">{{body}}</textarea>
        <button class="gap">Save</button> <span class="note">version {{version}}</span></form>{{/editable}}{{^editable}}<p class="note">A published draft is the record of what was published; it is not edited here.</p>{{/editable}}</section></div>
        <section><h2>Source tickets ({{ticketCount}})</h2><p class="note">Redacted text from the ticket store; the first three open.</p>
        {{#tickets}}<details class="ticket"{{#open}} open{{/open}}><summary><b>{{subject}}</b> <span class="meta">{{reference}} · {{status}}{{#channel}} · {{channel}}{{/channel}}{{#createdAt}} · {{createdAt}}{{/createdAt}}</span></summary>
        {{#messages}}<div class="msg"><b>{{role}}</b>
        {{text}}</div>{{/messages}}{{#resolution}}<div class="msg"><b>resolution</b>
        {{resolution}}</div>{{/resolution}}</details>{{/tickets}}
        {{^tickets}}<p class="note">None of its tickets are in the ticket store.</p>{{/tickets}}</section>
        <section><h2>Review log</h2><div class="tablewrap"><table><thead><tr><th>When</th><th>Who</th><th>Move</th><th>Reason / note</th></tr></thead><tbody>
        {{#log}}<tr><td>{{at}}</td><td>{{by}}</td><td>{{from}} → {{to}}</td><td>{{reason}}{{note}}</td></tr>{{/log}}{{^log}}<tr><td colspan="4">No moves yet.</td></tr>{{/log}}
        </tbody></table></div></section>
        """)

    static let hidden = compile(
        """
        <input type="hidden" name="_csrf" value="{{csrf}}"><input type="hidden" name="version" value="{{version}}">
        """)

    static let conflict = compile(
        """
        <section><h1>Someone changed this draft while you were editing</h1>
        <p class="error">Your save was not applied: the draft changed since you opened it (you started from version {{yourVersion}}; it is now {{version}}). Nothing was merged. Compare the two versions below, then save yours again (it is kept in the form) or <a href="/drafts/{{id}}">reload the draft</a>.</p></section>
        <div class="cols"><section><h2>The other version (saved)</h2><p class="note"><span class="state {{status}}">{{status}}</span> {{title}}</p><div class="article">{{{html}}}</div><details><summary>Its Markdown</summary><pre class="text">{{body}}</pre></details></section>
        <section><h2>Your version (not saved)</h2>{{#editable}}<form method="post" action="/drafts/{{id}}/save">{{> hidden}}
        <label for="title">Title</label><input type="text" id="title" name="title" value="{{yourTitle}}" class="wide">
        <label for="categoryField" class="gap">Category</label><input type="text" id="categoryField" name="category" value="{{yourCategory}}">
        <label for="body" class="gap">Markdown</label><textarea id="body" name="body">{{yourBody}}</textarea>
        <button class="gap">Save mine over it</button></form>{{/editable}}{{^editable}}<pre class="text">{{yourBody}}</pre>{{/editable}}</section></div>
        """)
}

extension Templates {
    /// Partials the page templates use.
    static let library = MustacheLibrary(templates: ["hidden": hidden])
}
