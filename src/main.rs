//! The `fpt-assist` binary: parses arguments and hands over to the library.

use clap::Parser;
use fpt_assist::cli::{run, Cli};

fn main() -> anyhow::Result<()> {
    fpt_assist::logging::init();
    let cli = Cli::parse();
    let stdin = std::io::stdin();
    let stdout = std::io::stdout();
    match run(cli, &mut stdin.lock(), &mut stdout.lock()) {
        Ok(code) => std::process::exit(code),
        // The reader went away (`fpt-assist kb | head`): nothing more to say.
        Err(e)
            if e.downcast_ref::<std::io::Error>()
                .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe) =>
        {
            std::process::exit(0)
        }
        Err(e) => Err(e),
    }
}
