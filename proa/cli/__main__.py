from proa.cli.main import run

run()
