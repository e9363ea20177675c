"""What the first-run and account tests share: a valid setup form and loopback SMTP."""

from tests.supervision.test_remind import free_port, loopback_smtp, use_smtp  # noqa: F401

STRONG = "Qingxi-kejiju-2026"

SETUP = {
    "office_name": "青溪市科学技术局",
    "short_name": "市科技局",
    "level": "2",
    "username": "zhangwei",
    "name": "张伟",
    "title": "督查科科长",
    "phone": "0533-6120001",
    "email": "zhangwei@qingxi.example.cn",
    "password1": STRONG,
    "password2": STRONG,
}


def setup_data(**changes):
    data = {**SETUP, **changes}
    return {k: v for k, v in data.items() if v is not None}
