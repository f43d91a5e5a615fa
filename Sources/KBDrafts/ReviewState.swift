/// Where a draft stands in the editors' workflow:
/// `draft → in_review → approved → published`, or `rejected` (with a reason) from any
/// state before `published`.
public enum ReviewState: String, Sendable, Codable, CaseIterable {
    case draft
    case inReview = "in_review"
    case approved
    case published
    case rejected

    /// The review actions an editor takes.
    public enum Action: String, Sendable, CaseIterable {
        case start, approve, reject, publish, reopen
    }

    /// The state an action leads to from this one, or nil when the move is not allowed.
    public func after(_ action: Action) -> ReviewState? {
        switch (self, action) {
        case (.draft, .start): .inReview
        case (.inReview, .approve): .approved
        case (.approved, .publish): .published
        case (.draft, .reject), (.inReview, .reject), (.approved, .reject): .rejected
        case (.rejected, .reopen): .draft
        default: nil
        }
    }

    /// Actions allowed from this state, for error messages.
    public var allowedActions: [Action] { Action.allCases.filter { after($0) != nil } }
}
