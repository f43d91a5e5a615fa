/// Mustache templates of the metrics report. Markdown cells are escaped for tables by the
/// view model (so they use `{{{…}}}`); HTML uses `{{…}}`, which escapes every text, and
/// `{{{…}}}` only for the SVG the project draws.
extension MetricsReport {
    static let markdownTemplate = """
        # Support metrics

        Window **{{{window}}}**, compared with {{{previousWindow}}}. Generated {{{generated}}}; audience: {{{audience}}}; schema v{{{schemaVersion}}}.

        | Figure | Value | Change | Count | Kind |
        | --- | ---: | ---: | ---: | --- |
        | Tickets | {{{tickets}}} | {{{ticketChange}}} | {{{ticketCompare}}} | measured |
        | First response, median | {{{frtMedian}}} | {{{frtPrevMedian}}} | {{{frt.measured}}} measured | measured |
        | First response, p90 | {{{frtP90}}} | | | measured |
        | Resolution time, median | {{{resMedian}}} | {{{resPrevMedian}}} | {{{res.measured}}} measured | measured |
        | Resolution time, p90 | {{{resP90}}} | | | measured |
        {{#figures}}
        | {{{name}}} | {{{value}}} | {{{change}}} | {{{fraction}}} | {{{kind}}} |
        {{/figures}}

        ## Definitions

        {{#figures}}
        - **{{{name}}}** ({{{kind}}}): {{{definition}}}
        {{/figures}}
        - **First response**: created → first response (the ticket's own timestamp, else its first agent message); **resolution time**: created → resolved (else closed), resolved and closed tickets. Median and p90 by nearest rank over measurable durations only; negative and missing ones are counted under data quality, never averaged in.

        ## Volume per week

        | Week | Tickets |
        | --- | ---: |
        {{#weeks}}
        | {{{key}}} | {{{count}}} |
        {{/weeks}}
        {{^hasDays}}
        | _no tickets in this window_ | |
        {{/hasDays}}

        ### By channel

        | Channel | Tickets | Previous | Change |
        | --- | ---: | ---: | ---: |
        {{#channels}}
        | {{{key}}} | {{{count}}} | {{{previous}}} | {{{change}}} |
        {{/channels}}

        ### By category

        | Category | Tickets | Previous | Change |
        | --- | ---: | ---: | ---: |
        {{#categories}}
        | {{{key}}} | {{{count}}} | {{{previous}}} | {{{change}}} |
        {{/categories}}

        ### By priority

        | Priority | Tickets | Previous | Change |
        | --- | ---: | ---: | ---: |
        {{#priorities}}
        | {{{key}}} | {{{count}}} | {{{previous}}} | {{{change}}} |
        {{/priorities}}

        ### Backlog at the end of the window

        | Status | Priority | Tickets |
        | --- | --- | ---: |
        {{#backlog}}
        | {{{status}}} | {{{priority}}} | {{{count}}} |
        {{/backlog}}
        {{^hasBacklog}}
        | _none open_ | | |
        {{/hasBacklog}}

        ## First response by channel

        | Channel | Median | p90 | Measured | Negative | Missing |
        | --- | ---: | ---: | ---: | ---: | ---: |
        {{#frtByChannel}}
        | {{{key}}} | {{{median}}} | {{{p90}}} | {{{measured}}} | {{{negative}}} | {{{missing}}} |
        {{/frtByChannel}}

        ## First response by priority

        | Priority | Median | p90 | Measured | Negative | Missing |
        | --- | ---: | ---: | ---: | ---: | ---: |
        {{#frtByPriority}}
        | {{{key}}} | {{{median}}} | {{{p90}}} | {{{measured}}} | {{{negative}}} | {{{missing}}} |
        {{/frtByPriority}}

        ## Resolution time by channel

        | Channel | Median | p90 | Measured | Negative | Missing |
        | --- | ---: | ---: | ---: | ---: | ---: |
        {{#resByChannel}}
        | {{{key}}} | {{{median}}} | {{{p90}}} | {{{measured}}} | {{{negative}}} | {{{missing}}} |
        {{/resByChannel}}

        ## Resolution time by priority

        | Priority | Median | p90 | Measured | Negative | Missing |
        | --- | ---: | ---: | ---: | ---: | ---: |
        {{#resByPriority}}
        | {{{key}}} | {{{median}}} | {{{p90}}} | {{{measured}}} | {{{negative}}} | {{{missing}}} |
        {{/resByPriority}}

        ## CSAT

        | Rating | Tickets | Share |
        | ---: | ---: | ---: |
        {{#csat}}
        | {{{rating}}} | {{{count}}} | {{{share}}} |
        {{/csat}}
        {{^hasCsat}}

        _No ratings in this window._
        {{/hasCsat}}

        ## Knowledge gaps

        {{#hasGaps}}
        | Topic | Questions | Change (last two weeks) |
        | --- | ---: | ---: |
        {{/hasGaps}}
        {{#gaps}}
        | {{{label}}} | {{{volume}}} | {{{change}}} |
        {{/gaps}}
        {{^hasGaps}}
        _No gaps report (run `kb gaps`)._
        {{/hasGaps}}

        ## Drafts

        {{#hasDrafts}}
        | State | Drafts | Oldest (days) |
        | --- | ---: | ---: |
        {{/hasDrafts}}
        {{#drafts}}
        | {{{status}}} | {{{count}}} | {{{oldest}}} |
        {{/drafts}}
        {{^hasDrafts}}
        _No drafts folder._
        {{/hasDrafts}}

        ## Data quality

        | Problem | Tickets |
        | --- | ---: |
        | First response before creation (negative) | {{{quality.negativeFirstResponse}}} |
        | First response missing | {{{quality.missingFirstResponse}}} |
        | Resolved before creation (negative) | {{{quality.negativeResolution}}} |
        | Resolution timestamp or creation time missing | {{{quality.missingResolution}}} |
        | Resolved before the first response | {{{quality.resolvedBeforeFirstResponse}}} |

        Excluded:

        | What | Tickets | Why |
        | --- | ---: | --- |
        {{#excluded}}
        | {{{what}}} | {{{count}}} | {{{why}}} |
        {{/excluded}}
        {{^excluded}}
        | _nothing: every ticket is in a window and every field is in the export_ | | |
        {{/excluded}}
        {{#hasExamples}}

        Examples:
        {{/hasExamples}}
        {{#examples}}
        - {{{.}}}
        {{/examples}}

        """

    static let htmlTemplate = """
        <section><h2>Overview</h2><div class="cards">
        <div class="card"><div class="k">Tickets</div><div class="v">{{tickets}}</div><div class="d">{{ticketChange}} · {{ticketCompare}}</div></div>
        <div class="card"><div class="k">First response (median)</div><div class="v">{{frtMedian}}</div><div class="d">p90 {{frtP90}} · {{frtPrevMedian}}</div></div>
        <div class="card"><div class="k">Resolution (median)</div><div class="v">{{resMedian}}</div><div class="d">p90 {{resP90}} · {{resPrevMedian}}</div></div>
        {{#figures}}<div class="card"><div class="k">{{name}}</div><div class="v">{{value}}</div><div class="d">{{change}} · {{fraction}} <span class="tag {{kind}}">{{kind}}</span></div></div>{{/figures}}
        </div>
        <details><summary>What each figure measures</summary><ul>{{#figures}}<li><b>{{name}}</b> <span class="tag {{kind}}">{{kind}}</span>: {{definition}}</li>{{/figures}}
        <li><b>First response</b>: created → first response (the ticket's own timestamp, else its first agent message); <b>resolution time</b>: created → resolved (else closed). Median and p90 by nearest rank over measurable durations; negative and missing ones are counted under data quality, never averaged in.</li></ul></details>
        </section>
        <section><h2>Volume per day</h2>{{{volumeChart}}}
        <details><summary>Data</summary><div class="tablewrap"><table><thead><tr><th>Day</th><th class="num">Tickets</th></tr></thead><tbody>
        {{#days}}<tr><td>{{key}}</td><td class="num">{{count}}</td></tr>{{/days}}{{^hasDays}}<tr><td colspan="2">No tickets in this window.</td></tr>{{/hasDays}}
        </tbody></table></div></details></section>
        <section><h2>By channel</h2><p class="note">Blue: this window; grey: the previous one.</p>{{{channelChart}}}
        <details><summary>Data</summary><div class="tablewrap"><table><thead><tr><th>Channel</th><th class="num">Tickets</th><th class="num">Previous</th><th class="num">Change</th></tr></thead><tbody>
        {{#channels}}<tr><td>{{key}}</td><td class="num">{{count}}</td><td class="num">{{previous}}</td><td class="num">{{change}}</td></tr>{{/channels}}
        </tbody></table></div></details></section>
        <section><h2>By category</h2>{{{categoryChart}}}
        <details><summary>Data</summary><div class="tablewrap"><table><thead><tr><th>Category</th><th class="num">Tickets</th><th class="num">Previous</th><th class="num">Change</th></tr></thead><tbody>
        {{#categories}}<tr><td>{{key}}</td><td class="num">{{count}}</td><td class="num">{{previous}}</td><td class="num">{{change}}</td></tr>{{/categories}}
        </tbody></table></div></details></section>
        <section><h2>By priority, and the backlog</h2>{{{priorityChart}}}
        <details><summary>Data</summary><div class="tablewrap"><table><thead><tr><th>Priority</th><th class="num">Tickets</th><th class="num">Previous</th><th class="num">Change</th></tr></thead><tbody>
        {{#priorities}}<tr><td>{{key}}</td><td class="num">{{count}}</td><td class="num">{{previous}}</td><td class="num">{{change}}</td></tr>{{/priorities}}
        </tbody></table></div></details>
        <h3>Backlog at the end of the window</h3><div class="tablewrap"><table><thead><tr><th>Status</th><th>Priority</th><th class="num">Tickets</th></tr></thead><tbody>
        {{#backlog}}<tr><td>{{status}}</td><td>{{priority}}</td><td class="num">{{count}}</td></tr>{{/backlog}}{{^hasBacklog}}<tr><td colspan="3">None open.</td></tr>{{/hasBacklog}}
        </tbody></table></div></section>
        <section><h2>First response and resolution</h2>{{{frtChart}}}
        <details open><summary>Data</summary><div class="tablewrap"><table><thead><tr><th>First response by channel</th><th class="num">Median</th><th class="num">p90</th><th class="num">Measured</th><th class="num">Negative</th><th class="num">Missing</th></tr></thead><tbody>
        {{#frtByChannel}}<tr><td>{{key}}</td><td class="num">{{median}}</td><td class="num">{{p90}}</td><td class="num">{{measured}}</td><td class="num">{{negative}}</td><td class="num">{{missing}}</td></tr>{{/frtByChannel}}
        </tbody></table></div>
        <div class="tablewrap"><table><thead><tr><th>First response by priority</th><th class="num">Median</th><th class="num">p90</th><th class="num">Measured</th><th class="num">Negative</th><th class="num">Missing</th></tr></thead><tbody>
        {{#frtByPriority}}<tr><td>{{key}}</td><td class="num">{{median}}</td><td class="num">{{p90}}</td><td class="num">{{measured}}</td><td class="num">{{negative}}</td><td class="num">{{missing}}</td></tr>{{/frtByPriority}}
        </tbody></table></div>
        <div class="tablewrap"><table><thead><tr><th>Resolution by channel</th><th class="num">Median</th><th class="num">p90</th><th class="num">Measured</th><th class="num">Negative</th><th class="num">Missing</th></tr></thead><tbody>
        {{#resByChannel}}<tr><td>{{key}}</td><td class="num">{{median}}</td><td class="num">{{p90}}</td><td class="num">{{measured}}</td><td class="num">{{negative}}</td><td class="num">{{missing}}</td></tr>{{/resByChannel}}
        </tbody></table></div>
        <div class="tablewrap"><table><thead><tr><th>Resolution by priority</th><th class="num">Median</th><th class="num">p90</th><th class="num">Measured</th><th class="num">Negative</th><th class="num">Missing</th></tr></thead><tbody>
        {{#resByPriority}}<tr><td>{{key}}</td><td class="num">{{median}}</td><td class="num">{{p90}}</td><td class="num">{{measured}}</td><td class="num">{{negative}}</td><td class="num">{{missing}}</td></tr>{{/resByPriority}}
        </tbody></table></div></details></section>
        <section><h2>CSAT</h2>{{{csatChart}}}{{^hasCsat}}<p class="note">No ratings in this window.</p>{{/hasCsat}}
        <details><summary>Data</summary><div class="tablewrap"><table><thead><tr><th>Rating</th><th class="num">Tickets</th><th class="num">Share</th></tr></thead><tbody>
        {{#csat}}<tr><td>{{rating}}</td><td class="num">{{count}}</td><td class="num">{{share}}</td></tr>{{/csat}}
        </tbody></table></div></details></section>
        <section><h2>Knowledge gaps</h2>{{#hasGaps}}{{{gapChart}}}{{/hasGaps}}
        <details><summary>Data</summary><div class="tablewrap"><table><thead><tr><th>Topic</th><th class="num">Questions</th><th class="num">Change</th></tr></thead><tbody>
        {{#gaps}}<tr><td>{{label}}</td><td class="num">{{volume}}</td><td class="num">{{change}}</td></tr>{{/gaps}}{{^hasGaps}}<tr><td colspan="3">No gaps report (run kb gaps).</td></tr>{{/hasGaps}}
        </tbody></table></div></details></section>
        <section><h2>Draft pipeline</h2><div class="tablewrap"><table><thead><tr><th>State</th><th class="num">Drafts</th><th class="num">Oldest (days)</th></tr></thead><tbody>
        {{#drafts}}<tr><td>{{status}}</td><td class="num">{{count}}</td><td class="num">{{oldest}}</td></tr>{{/drafts}}{{^hasDrafts}}<tr><td colspan="3">No drafts folder.</td></tr>{{/hasDrafts}}
        </tbody></table></div></section>
        <section><h2>Data quality</h2><p class="note">Counted apart and never averaged into the figures above.</p><div class="tablewrap"><table><thead><tr><th>Problem</th><th class="num">Tickets</th></tr></thead><tbody>
        <tr><td>First response before creation (negative)</td><td class="num">{{quality.negativeFirstResponse}}</td></tr>
        <tr><td>First response missing</td><td class="num">{{quality.missingFirstResponse}}</td></tr>
        <tr><td>Resolved before creation (negative)</td><td class="num">{{quality.negativeResolution}}</td></tr>
        <tr><td>Resolution timestamp or creation time missing</td><td class="num">{{quality.missingResolution}}</td></tr>
        <tr><td>Resolved before the first response</td><td class="num">{{quality.resolvedBeforeFirstResponse}}</td></tr>
        </tbody></table></div>
        <h3>Excluded</h3><div class="tablewrap"><table><thead><tr><th>What</th><th class="num">Tickets</th><th>Why</th></tr></thead><tbody>
        {{#excluded}}<tr><td>{{what}}</td><td class="num">{{count}}</td><td>{{why}}</td></tr>{{/excluded}}{{^excluded}}<tr><td colspan="3">Nothing: every ticket is in a window and every field is in the export.</td></tr>{{/excluded}}
        </tbody></table></div>{{#hasExamples}}<ul>{{#examples}}<li>{{.}}</li>{{/examples}}</ul>{{/hasExamples}}</section>
        """
}
