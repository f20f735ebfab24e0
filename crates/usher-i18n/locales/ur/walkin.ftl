# Status: draft (machine-written by the Usher developers; not yet reviewed by a native speaker).
# بغیر پاس کے آنے والے مہمان کا فارم، اور انتظار کی سکرین پر "فون سے رجسٹر کریں" کا کوڈ۔

walkin-button = بغیر پاس مہمان
walkin-title = بغیر پاس کے مہمان کا اندراج
walkin-name = نام (ضروری)
walkin-phone = فون (اختیاری)
walkin-email = ای میل (اختیاری)
walkin-party = کتنے افراد
walkin-submit = اندراج کریں
walkin-cancel = منسوخ
walkin-error-no-name = براہ کرم مہمان کا نام لکھیں۔
walkin-error-bad-name = نام بہت لمبا ہے یا اس میں ناقابل قبول حرف ہے۔
walkin-error-bad-phone = یہ فون نمبر نہیں ہے۔
walkin-error-bad-email = یہ ای میل پتہ نہیں ہے۔
walkin-register = پاس نہیں ہے؟ اپنے فون سے رجسٹر کرنے کے لیے یہ کوڈ سکین کریں۔
