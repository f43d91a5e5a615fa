/// Process entry point. Kernel selection for OpenBLAS must happen before the first BLAS
/// call, and OpenBLAS reads its environment when the library loads, so `kb` may re-execute
/// itself once with the kernel set (see KBEmbedding).
@main
enum Entry {
    static func main() async {
        await KB.main(nil)
    }
}
