// mimalloc: a measured gain on many small allocations (docs/performance.md)
#[cfg(feature = "mimalloc")]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    dockcheck::cli::main()
}
