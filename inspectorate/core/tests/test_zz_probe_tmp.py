import json
from django.test import Client, TestCase
from django.urls import reverse
from inspectorate.testing.routeworld import build

ROUTES = [l.strip() for l in open("/tmp/myprobe/names.txt") if l.strip()]
KW = json.load(open("/tmp/myprobe/kw.json"))


class Probe(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.w = build()

    def test_probe(self):
        out = {}
        for spec in ROUTES:
            name, _, obj = spec.partition(" ")
            kw = dict(KW.get(name, {}))
            if obj:
                kw["pk"] = self.w.objs[obj].pk
            url = reverse(name, kwargs=kw or None)
            row = {}
            for method in ("get", "post"):
                res = {}
                c = Client()
                res["anon"] = getattr(c, method)(url).status_code
                for uname, user in self.w.users.items():
                    c = Client(); c.force_login(user)
                    from django.db import transaction
                    with transaction.atomic():
                        r = getattr(c, method)(url, {}, content_type="application/json") if (method == "post" and url.startswith("/api/")) else getattr(c, method)(url)
                        transaction.set_rollback(True)
                    res[uname] = r.status_code
                row[method] = res
            out[name] = {"url": url, **row}
        json.dump(out, open("/tmp/myprobe/out.json", "w"), indent=1)
