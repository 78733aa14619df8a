// mimalloc only with `--features mimalloc` (docs/performance.md: it slows
// the start of a run and gains only on the matrix)
#[cfg(feature = "mimalloc")]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    dockcheck::cli::main()
}
