"""Sets up IAM users and S3 buckets on a moto server with boto3 (see test/peers/moto.ts, motoIam).

Request (stdin): {"endpoint": "http://127.0.0.1:…", "region": "us-east-1",
  "buckets": ["name", …],
  "users": [{"name": "reader", "policy": {…IAM policy document…}?}, …]}
Answer: {"users": {"reader": {"accessKeyId": "AKIA…", "secretAccessKey": "…"}, …}}
Sent while moto authenticates nothing (its INITIAL_NO_AUTH_ACTION_COUNT window); a user without a
policy is then allowed nothing once moto enforces IAM.
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from iceberg_common import main  # noqa: E402


def setup(request):
    import boto3

    kw = {"endpoint_url": request["endpoint"], "region_name": request.get("region", "us-east-1"),
          "aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
    s3 = boto3.client("s3", **kw)
    iam = boto3.client("iam", **kw)
    for b in request.get("buckets") or []:
        s3.create_bucket(Bucket=b)
    users = {}
    for u in request.get("users") or []:
        iam.create_user(UserName=u["name"])
        if u.get("policy"):
            iam.put_user_policy(UserName=u["name"], PolicyName=f"{u['name']}-policy", PolicyDocument=json.dumps(u["policy"]))
        key = iam.create_access_key(UserName=u["name"])["AccessKey"]
        users[u["name"]] = {"accessKeyId": key["AccessKeyId"], "secretAccessKey": key["SecretAccessKey"]}
    return {"users": users}


if __name__ == "__main__":
    main(setup)
