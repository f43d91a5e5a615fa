import KBEmbedding
import KBPipeline

/// Process entry point. OpenBLAS picks its kernel when the library loads, before `main`;
/// when it fell back to a generic kernel this CPU outgrows, `kb` re-executes itself once
/// with `OPENBLAS_CORETYPE` set (never overriding a value already set).
@main
enum Entry {
    static func main() async {
        BLASRuntime.reexecWithSupportedKernelIfNeeded()
        _ = ProjectContext.current
        await KB.main(ProjectContext.split(Array(CommandLine.arguments.dropFirst())).rest)
    }
}
