# Status: draft (machine-written by the Usher developers; not yet reviewed by a native speaker).
# استمارة الزائر بلا تصريح، ورمز "سجّل من هاتفك" على شاشة الانتظار.

walkin-button = زائر بلا تصريح
walkin-title = تسجيل دخول زائر بلا تصريح
walkin-name = الاسم (مطلوب)
walkin-phone = الهاتف (اختياري)
walkin-email = البريد الإلكتروني (اختياري)
walkin-party = عدد الأشخاص
walkin-submit = تسجيل الدخول
walkin-cancel = إلغاء
walkin-error-no-name = يُرجى كتابة اسم الزائر.
walkin-error-bad-name = الاسم طويل جدًا أو فيه حرف غير مقبول.
walkin-error-bad-phone = هذا ليس رقم هاتف.
walkin-error-bad-email = هذا ليس عنوان بريد إلكتروني.
walkin-register = ليس لديك تصريح؟ امسح هذا الرمز للتسجيل من هاتفك.
