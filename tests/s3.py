"""An S3-compatible server for the tests: moto's server mode, started by the tests on the
loopback address (no outside network), and the settings that point Jigsaw's file store at it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid

CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "jigsaw-test",
    "AWS_SECRET_ACCESS_KEY": "jigsaw-test-secret",
    "AWS_DEFAULT_REGION": "eu-west-2",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class MotoServer:
    """`python -m moto.server` on a free port of 127.0.0.1, until stop()."""

    def __init__(self):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.popen = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={**os.environ, **CREDENTIALS},
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.popen.poll() is not None:
                raise AssertionError(f"moto's server exited ({self.popen.returncode})")
            try:
                with urllib.request.urlopen(self.url + "/moto-api/", timeout=2):
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise AssertionError("moto's server did not answer within 60 s")

    def client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.url,
            region_name=CREDENTIALS["AWS_DEFAULT_REGION"],
            aws_access_key_id=CREDENTIALS["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
        )

    def new_bucket(self) -> str:
        bucket = f"jigsaw-{uuid.uuid4().hex[:12]}"
        self.client().create_bucket(
            Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": CREDENTIALS["AWS_DEFAULT_REGION"]}
        )
        return bucket

    def keys(self, bucket: str) -> dict[str, bytes]:
        """Every object in the bucket and its content."""
        s3 = self.client()
        found = {}
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
            for item in page.get("Contents", []):
                found[item["Key"]] = s3.get_object(Bucket=bucket, Key=item["Key"])["Body"].read()
        return found

    def env(self, bucket: str, url: str | None = None) -> dict[str, str]:
        """The environment that puts Jigsaw's file store in `bucket` (on `url`: another address
        to play a store that does not answer)."""
        return {
            **CREDENTIALS,
            "JIGSAW_FILE_STORAGE": "s3",
            "AWS_STORAGE_BUCKET_NAME": bucket,
            "AWS_S3_ENDPOINT_URL": url or self.url,
            "AWS_S3_REGION_NAME": CREDENTIALS["AWS_DEFAULT_REGION"],
            "JIGSAW_FILE_STORAGE_TIMEOUT": "2",
        }

    def stop(self) -> None:
        if self.popen.poll() is None:
            self.popen.terminate()
            try:
                self.popen.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()
