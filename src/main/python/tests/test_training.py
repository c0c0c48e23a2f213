from nucleispark_train.training import close_epoch


def test_close_epoch_logs_prints_and_checkpoints(tmp_path, capsys):
    saved = []
    log = tmp_path / "train.log"
    assert close_epoch({"epoch": 3, "loss": "0.5000"}, 12.4, log, ["epoch", "loss", "seconds"], saved.append, True)
    assert not close_epoch({"epoch": "3+partial", "loss": "0.4000"}, 7.6, log, ["epoch", "loss", "seconds"], saved.append, False)
    assert log.read_text().splitlines() == ["epoch\tloss\tseconds", "3\t0.5000\t12", "3+partial\t0.4000\t8"]
    assert saved == ["last.pt", "last.pt"]
    out = capsys.readouterr().out
    assert "epoch=3 loss=0.5000 seconds=12" in out
    assert "budget reached inside an epoch" in out
