fn main() -> std::process::ExitCode {
    dockcheck::cli::main()
}
